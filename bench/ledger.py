"""The ledger benchmark: writes, reads at 100,000 transactions, SQL per request, and
django-hordak doing the same bookkeeping, all on one PostgreSQL server in one run.

1. Fresh database `finance_bench`, migrated (the ledger's triggers are live).
2. bench/generate.py writes a 100,000-transaction tenant and a small one; VACUUM
   ANALYZE leaves the tables as a long-running database's autovacuum would.
3. A real Daphne server (as `make run` serves) is loaded over loopback: reads of
   `/api/v1/accounts` and a filtered `/api/v1/transactions` page with 1 and 8 clients,
   then `POST /api/v1/transactions` and the bare `GET /api/v1/me` with 8 clients.
4. In-process (bench/inprocess.py): SQL queries per request for both tenants; 10,000
   transfers then every balance through our use case.
5. django-hordak (bench/hordak_side.py) in its own process, settings and database
   `finance_bench_hordak`: the same 10,000 transfers and balances.

Writes bench/results/ledger.json and prints a table. Every load is bounded in count
and time; the whole run takes a few minutes on two cores.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import platform
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench.common import (
    RESULTS,
    ROOT,
    Plan,
    free_port,
    get_plan,
    load,
    manage,
    request,
    run_module,
    server_env,
    sign_in,
    start_server,
    stop_server,
)
from bench.inprocess import read_paths

ADMIN_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
OURS_DB = "finance_bench"
HORDAK_DB = "finance_bench_hordak"
PASSWORD = "bench-password-long-enough"
TRANSACTIONS = int(os.environ.get("BENCH_LEDGER_TRANSACTIONS", "100000"))
SMALL_TRANSACTIONS = 50
YEARS = 5
CLIENTS = 8
WRITES_PER_CLIENT = int(os.environ.get("BENCH_LEDGER_WRITES", "100"))
READS_ONE_CLIENT = int(os.environ.get("BENCH_LEDGER_READS", "200"))
READS_PER_CLIENT = max(1, READS_ONE_CLIENT // 4)
TRANSFERS = int(os.environ.get("BENCH_LEDGER_TRANSFERS", "10000"))
LOAD_BUDGET_S = 60
TRANSFER_BUDGET_S = int(os.environ.get("BENCH_LEDGER_TRANSFER_BUDGET", "150"))

READ_GOAL_MS = 50
WRITE_GOAL_MS = 100
POSTING_GOAL_RATIO = 2.0


def database_url(name: str) -> str:
    return urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl()


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # any failure means "skip the ledger part"
        return False


def admin(statement: str, url: str = ADMIN_URL, params: tuple[Any, ...] = ()) -> Any:
    """One statement outside a transaction (CREATE/DROP DATABASE and VACUUM need it)."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=5) as connection:
        cursor = connection.execute(statement, params or None)  # type: ignore[arg-type]
        return cursor.fetchone() if cursor.description else None


def reset_database(name: str) -> str:
    admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(f'CREATE DATABASE "{name}"')
    return database_url(name)


def ledger_env(port: int, workdir: Path, url: str) -> dict[str, str]:
    env = server_env(port, workdir)
    env["DATABASE_URL"] = url
    return env


def generate(
    env: dict[str, str], email: str, transactions: int, years: int
) -> dict[str, Any]:
    return run_module(  # type: ignore[no-any-return]
        env,
        "bench.generate",
        f"--email={email}",
        f"--password={PASSWORD}",
        f"--transactions={transactions}",
        f"--years={years}",
        timeout=600,
    )


def write_plan(tenant: dict[str, Any]) -> Plan:
    """Eight in ten purchases (card or checking, two categories), one income, one
    transfer: what people record day to day."""
    accounts = tenant["accounts"]
    on = tenant["last_date"]

    def body(client: int, index: int) -> tuple[str, str, Any]:
        amount = f"{1 + (client * 37 + index) % 200}.{index % 100:02d}"
        slot = index % 10
        if slot == 9:
            payload = {
                "type": "transfer",
                "from_account": accounts["checking"],
                "to_account": accounts["savings"],
                "amount": amount,
                "date": on,
            }
        elif slot == 8:
            payload = {
                "type": "inflow",
                "account": accounts["checking"],
                "amount": amount,
                "date": on,
                "category": tenant["income_category"],
            }
        else:
            category = (tenant["busy_category"]["id"], tenant["expense_category"])[
                slot % 2
            ]
            payload = {
                "type": "outflow",
                "account": accounts[("card", "checking")[slot % 2]],
                "amount": amount,
                "date": on,
                "category": category,
                "payee": "Corner Market",
            }
        return "POST", "/api/v1/transactions", payload

    return body


def check_reads(
    port: int, headers: dict[str, str], paths: dict[str, str]
) -> dict[str, int]:
    """Each read answers 200 with a full page before it is timed."""
    found = {}
    for name, path in paths.items():
        status, body = request(port, "GET", path, headers=headers)
        assert status == 200, (name, status, body[:300])
        found[name] = len(json.loads(body)["results"])
    return found


def measure_reads(
    port: int, headers: dict[str, str], paths: dict[str, str]
) -> dict[str, Any]:
    results: dict[str, Any] = {"1 client": {}, f"{CLIENTS} clients": {}}
    for name, path in paths.items():
        plan = get_plan(path)
        load(port, plan, headers, clients=1, per_client=20)  # warm-up
        results["1 client"][name] = load(
            port,
            plan,
            headers,
            clients=1,
            per_client=READS_ONE_CLIENT,
            budget_s=LOAD_BUDGET_S,
        )
        results[f"{CLIENTS} clients"][name] = load(
            port,
            plan,
            headers,
            clients=CLIENTS,
            per_client=READS_PER_CLIENT,
            budget_s=LOAD_BUDGET_S,
        )
    return results


def measure_writes(
    port: int, headers: dict[str, str], tenant: dict[str, Any]
) -> dict[str, Any]:
    """The bare authenticated endpoint first, on the same server and connections
    count: the ratio says what the ledger write adds to DRF's own cost."""
    sizes = {
        "clients": CLIENTS,
        "per_client": WRITES_PER_CLIENT,
        "budget_s": LOAD_BUDGET_S,
    }
    warm_up = {"clients": CLIENTS, "per_client": 10}
    load(port, get_plan("/api/v1/me"), headers, **warm_up)
    me = load(port, get_plan("/api/v1/me"), headers, **sizes)
    posts = load(port, write_plan(tenant), headers, **sizes)
    return {
        "POST /api/v1/transactions": posts,
        "GET /api/v1/me": me,
        "throughput_ratio_to_me": _ratio(posts["throughput_rps"], me["throughput_rps"]),
        "p95_ratio_to_me": _ratio(posts["p95_ms"], me["p95_ms"]),
    }


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def http_phase(
    env: dict[str, str], port: int, big: dict[str, Any], workdir: Path
) -> dict[str, Any]:
    """Reads before writes, so the reads see exactly the generated tenant."""
    log = workdir / "daphne.log"
    server = start_server(env, port, log)
    try:
        headers = sign_in(port, big["email"], PASSWORD)
        paths = read_paths(big)
        page_sizes = check_reads(port, headers, paths)
        reads = measure_reads(port, headers, paths)
        writes = measure_writes(port, headers, big)
        connections = open_connections(OURS_DB)
    finally:
        stop_server(server)
    return {
        "read_paths": paths,
        "page_sizes": page_sizes,
        "reads": reads,
        "writes": writes,
        "db_connections_open_after_load": connections,
        "server_errors": server_errors(log),
    }


def open_connections(name: str) -> int:
    """Connections the server holds: under Daphne every request's thread opens its
    own, so this counts how many it left open."""
    row = admin(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s", params=(name,)
    )
    return int(row[0])


def server_errors(log: Path) -> dict[str, int]:
    """The server's logged errors, by their last line (what failed and why)."""
    found: Counter[str] = Counter()
    for line in log.read_text(errors="replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if isinstance(event, dict) and event.get("level") == "error":
            cause = (event.get("exception") or event.get("event", "")).strip()
            found[cause.splitlines()[-1][:200] if cause else "?"] += 1
    return dict(found.most_common(5))


def hordak_phase(
    workdir: Path, port: int, install_problem: str | None
) -> dict[str, Any]:
    """django-hordak in its own process, settings and database."""
    importlib.invalidate_caches()
    if importlib.util.find_spec("hordak") is None:
        reason = install_problem or "django-hordak is not installed"
        return {"skipped": f"{reason} (pip install -r bench/requirements.txt)"}
    env = ledger_env(port, workdir, reset_database(HORDAK_DB))
    env["DJANGO_SETTINGS_MODULE"] = "bench.hordak_settings"
    manage(env, "migrate", "--noinput", "-v", "0")
    return run_module(  # type: ignore[no-any-return]
        env,
        "bench.hordak_side",
        str(TRANSFERS),
        str(TRANSFER_BUDGET_S),
        timeout=TRANSFER_BUDGET_S + 120,
    )


def compare(ours: dict[str, Any], hordak: dict[str, Any]) -> dict[str, Any]:
    if "skipped" in hordak:
        return {"ours": ours, "hordak": hordak}
    return {
        "ours": ours,
        "hordak": hordak,
        "posting_ratio": _ratio(ours["transfers_per_s"], hordak["transfers_per_s"]),
        "balance_read_speedup": _ratio(
            hordak["balance_read_ms"], ours["balance_read_ms"]
        ),
        "balances_agree": ours["balances"] == hordak["balances"],
        "cpu_per_transfer_ratio": _ratio(
            _cpu_total(hordak["cpu_ms_per_transfer"]),
            _cpu_total(ours["cpu_ms_per_transfer"]),
        ),
    }


def _cpu_total(cpu: dict[str, float | None]) -> float:
    """Python plus PostgreSQL CPU for one transfer: the load-insensitive figure."""
    return sum(value or 0.0 for value in cpu.values())


def goals(results: dict[str, Any]) -> dict[str, Any]:
    """Each goal of the issue, with the figure it was judged on."""
    reads, writes = results["http"]["reads"], results["http"]["writes"]
    read_one = max(row["p95_ms"] for row in reads["1 client"].values())
    read_many = max(row["p95_ms"] for row in reads[f"{CLIENTS} clients"].values())
    write_p95 = writes["POST /api/v1/transactions"]["p95_ms"]
    found = {
        "reads_p95_1_client": _goal(
            f"<= {READ_GOAL_MS} ms", read_one, read_one <= READ_GOAL_MS
        ),
        f"reads_p95_{CLIENTS}_clients": _goal(
            f"<= {READ_GOAL_MS} ms", read_many, read_many <= READ_GOAL_MS
        ),
        f"writes_p95_{CLIENTS}_clients": _goal(
            f"<= {WRITE_GOAL_MS} ms", write_p95, write_p95 <= WRITE_GOAL_MS
        ),
        "queries_constant": _goal(
            f"same count for {SMALL_TRANSACTIONS} and {TRANSACTIONS:,} transactions",
            {name: row["queries"] for name, row in results["queries"]["big"].items()},
            results["queries"]["constant"],
        ),
    }
    versus = results["versus_hordak"]
    if "posting_ratio" in versus:
        ratio, speedup = versus["posting_ratio"], versus["balance_read_speedup"]
        found["posting_2x_hordak"] = _goal(">= 2.0", ratio, ratio >= POSTING_GOAL_RATIO)
        found["balance_reads_not_slower"] = _goal(">= 1.0", speedup, speedup >= 1.0)
    return found


def _goal(target: str, measured: Any, met: bool) -> dict[str, Any]:
    return {"target": target, "measured": measured, "met": "yes" if met else "no"}


def versions() -> dict[str, Any]:
    found: dict[str, Any] = {"python": platform.python_version()}
    for package in (
        "django",
        "djangorestframework",
        "daphne",
        "psycopg",
        "django-hordak",
    ):
        try:
            found[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            found[package] = None
    found["postgresql"] = admin("SHOW server_version")[0]
    found["git_commit"] = _git("rev-parse", "HEAD")
    found["git_dirty"] = bool(_git("status", "--porcelain"))
    return found


def _git(*args: str) -> str:
    done = subprocess.run(
        ["git", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.stdout.strip()


def inputs() -> dict[str, Any]:
    return {
        "transactions": TRANSACTIONS,
        "small_tenant_transactions": SMALL_TRANSACTIONS,
        "small_tenant_years": 1,
        "years": YEARS,
        "clients": CLIENTS,
        "writes_per_client": WRITES_PER_CLIENT,
        "reads_one_client": READS_ONE_CLIENT,
        "reads_per_client_concurrent": READS_PER_CLIENT,
        "transfers": TRANSFERS,
        "load_budget_s": LOAD_BUDGET_S,
        "transfer_budget_s": TRANSFER_BUDGET_S,
        "write_mix": "80% outflow (2 categories, card/checking), 10% inflow, 10% transfer",
        "after_generation": "VACUUM (ANALYZE)",
    }


class Phases:
    """Seconds spent in each step, reported so a slow `make bench` says why."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def __call__(self, name: str, action: Callable[[], Any]) -> Any:
        started = time.monotonic()
        result = action()
        self.seconds[name] = round(time.monotonic() - started, 1)
        return result


def run(install_problem: str | None) -> dict[str, Any]:
    started, load_before = time.monotonic(), os.getloadavg()
    phase, port = Phases(), free_port()
    with tempfile.TemporaryDirectory() as directory:
        workdir = Path(directory)
        env = ledger_env(port, workdir, reset_database(OURS_DB))
        phase("migrate", lambda: manage(env, "migrate", "--noinput", "-v", "0"))
        big = phase(
            "generate",
            lambda: generate(env, "ledger-big@example.com", TRANSACTIONS, YEARS),
        )
        # a new customer's first year: its filtered page is short but not empty
        small = generate(env, "ledger-small@example.com", SMALL_TRANSACTIONS, 1)
        phase("vacuum", lambda: admin("VACUUM (ANALYZE)", env["DATABASE_URL"]))
        results: dict[str, Any] = {
            "http": phase("http", lambda: http_phase(env, port, big, workdir))
        }
        tenants = json.dumps({"big": big, "small": small})
        results["queries"] = phase(
            "queries",
            lambda: run_module(env, "bench.inprocess", "queries", tenants, timeout=300),
        )
        ours = phase("transfers_ours", lambda: our_transfers(env))
        hordak = phase(
            "transfers_hordak", lambda: hordak_phase(workdir, port, install_problem)
        )
        results["versus_hordak"] = compare(ours, hordak)
    return {
        "benchmark": "ledger",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "inputs": inputs(),
        "environment": environment(env, load_before),
        "versions": versions(),
        "tenants": {"big": _tenant_summary(big), "small": _tenant_summary(small)},
        "results": results,
        "goals": goals(results),
        "phase_seconds": phase.seconds,
        "seconds": round(time.monotonic() - started, 1),
    }


def our_transfers(env: dict[str, str]) -> dict[str, Any]:
    return run_module(  # type: ignore[no-any-return]
        env,
        "bench.inprocess",
        "transfers",
        str(TRANSFERS),
        str(TRANSFER_BUDGET_S),
        timeout=TRANSFER_BUDGET_S + 120,
    )


def environment(env: dict[str, str], load_before: tuple[float, ...]) -> dict[str, Any]:
    """Where it ran; the load averages tell whether other work shared the machine."""
    return {
        "server": "daphne, 1 process, DEBUG off, rate limits off",
        "database": "postgresql",
        "databases": [OURS_DB, HORDAK_DB],
        "redis": bool(env.get("REDIS_URL")),
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def _tenant_summary(tenant: dict[str, Any]) -> dict[str, Any]:
    keys = ("transactions", "entries", "postings", "first_date", "last_date", "seconds")
    summary = {key: tenant[key] for key in keys}
    summary["accounts"] = len(tenant["accounts"])
    summary["busy_category"] = tenant["busy_category"]["name"]
    return summary


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    print(
        f"\nledger benchmark, {report['tenants']['big']['transactions']:,} transactions"
    )
    header = f"{'measure':<44}{'req':>6}{'err':>5}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}"
    print(header)
    for clients, rows in results["http"]["reads"].items():
        for name, row in rows.items():
            _print_row(f"{name} ({clients})", row)
    writes = results["http"]["writes"]
    for name in ("POST /api/v1/transactions", "GET /api/v1/me"):
        _print_row(f"{name} ({CLIENTS} clients)", writes[name])
    print(f"write/me throughput ratio: {writes['throughput_ratio_to_me']}")
    _print_queries(results["queries"])
    _print_versus(results["versus_hordak"])
    for name, goal in report["goals"].items():
        print(
            f"goal {name:<28}{goal['target']:<44}{goal['met']:>4}  {goal['measured']}"
        )
    print(f"written to {RESULTS / 'ledger.json'} ({report['seconds']} s)")


def _print_row(label: str, row: dict[str, float]) -> None:
    print(
        f"{label:<44}{row['requests']:>6}{row['errors']:>5}{row['throughput_rps']:>8}"
        f"{row['p50_ms']:>9}{row['p95_ms']:>9}"
    )


def _print_queries(queries: dict[str, Any]) -> None:
    """SQL per request for both tenants, and where one request's time goes in-process
    (kept connection, no HTTP) for the big one."""
    print(
        f"{'in-process, big tenant':<34}{'SQL small':>10}{'SQL big':>9}"
        f"{'ms':>8}{'SQL ms':>8}{'Python ms':>10}"
    )
    for name, row in queries["big"].items():
        print(
            f"{name:<34}{queries['small'][name]['queries']:>10}{row['queries']:>9}"
            f"{row['wall_ms']:>8}{row['sql_ms']:>8}{row['python_ms']:>10}"
        )


def _print_versus(versus: dict[str, Any]) -> None:
    for side in ("ours", "hordak"):
        row = versus[side]
        if "skipped" in row:
            print(f"{side}: skipped: {row['skipped']}")
            continue
        cpu = row["cpu_ms_per_transfer"]
        print(
            f"{row['library']:<24}{row['transfers_per_s']:>8} transfers/s"
            f"{row['balance_read_ms']:>9} ms all balances   CPU/transfer"
            f" {cpu['python']} ms Python + {cpu['postgres']} ms PostgreSQL"
        )
    if "posting_ratio" in versus:
        print(
            f"posting ratio {versus['posting_ratio']}x (CPU per transfer "
            f"{versus['cpu_per_transfer_ratio']}x), balance read speedup "
            f"{versus['balance_read_speedup']}x, balances agree: {versus['balances_agree']}"
        )


def main(install_problem: str | None = None) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = run(install_problem)
    (RESULTS / "ledger.json").write_text(json.dumps(report, indent=2) + "\n")
    print_report(report)


if __name__ == "__main__":
    if not postgres_reachable():
        raise SystemExit(f"no PostgreSQL at {ADMIN_URL}")
    main()
