"""The ledger benchmark on the production shape: reads at 100,000 transactions, writes,
10,000 transfers one per call and in batches, the web statement and a deep
transactions page, SQL per request, and django-hordak doing the same transfers behind
the same HTTP stack, all on one PostgreSQL server in one run.

1. Fresh database `finance_bench`, migrated (the ledger's triggers are live);
   bench/generate.py writes a 100,000-transaction tenant and a 1,000-transaction one;
   VACUUM ANALYZE leaves the tables as a long-running database's autovacuum would.
2. bench/stack.py starts the Procfile's web (gunicorn), ws (Daphne), worker and beat
   on that database and the benchmark's Redis. Over gunicorn's socket: the bare
   `/health/`; `/api/v1/accounts` for both tenants and a filtered
   `/api/v1/transactions?limit=50` with 1 and 8 clients; the web statement of the big
   account and the transactions page 500; the bare `GET /api/v1/me`, then
   `POST /api/v1/transactions` with 8 clients; 10,000 transfers one per call (8
   clients) into a fresh person's four accounts, then every balance; the same 10,000
   through `POST /api/v1/transactions/batch` into another person's.
3. In-process (bench/inprocess.py): SQL statements per request for both tenants, the
   statement list of one keyed POST, and the balance read without HTTP; then
   (bench/export.py) each tenant's data export, its time and peak memory.
4. django-hordak in database `finance_bench_hordak`, behind the same gunicorn command
   (bench/hordak_urls.py, bench/hordak_settings.py): the same 10,000 transfers with 8
   clients, every balance.

Every load is bounded in count and time.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import time
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from bench.common import (
    HOST,
    TRANSFER_ACCOUNT_NAMES,
    Endpoint,
    Plan,
    env_int,
    get_plan,
    idempotency_key,
    load,
    manage,
    percentiles,
    request,
    run_module,
    server_env,
    shared_plan,
    sign_in,
    transfer_plan,
)
from bench.inprocess import read_paths
from bench.sizes import size
from bench.stack import Stack

ADMIN_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
# BENCH_DATABASE_PREFIX lets two checkouts bench on one server without colliding.
DATABASE_PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "finance_bench")
OURS_DB = DATABASE_PREFIX
HORDAK_DB = f"{DATABASE_PREFIX}_hordak"
PASSWORD = "bench-password-long-enough"
YEARS = 5

TRANSACTIONS = size("BENCH_LEDGER_TRANSACTIONS", 100_000, 5_000)
SMALL_TRANSACTIONS = size("BENCH_SMALL_TRANSACTIONS", 1_000, 1_000)
CLIENTS = size("BENCH_CLIENTS", 8, 8)
READS_ONE_CLIENT = size("BENCH_LEDGER_READS", 200, 40)
READS_PER_CLIENT = max(1, READS_ONE_CLIENT // 4)
WRITES_PER_CLIENT = size("BENCH_LEDGER_WRITES", 100, 20)
TRANSFERS = size("BENCH_LEDGER_TRANSFERS", 10_000, 1_000)
BATCH_SIZE = 500
WEB_REQUESTS = size("BENCH_WEB_REQUESTS", 100, 30)
WEB_PAGE = size("BENCH_WEB_PAGE", 500, 500)
WEB_PAGE_SIZE = 50
BALANCE_READS = 50
LOAD_BUDGET_S = 60
# a time budget, not a size: changing it does not make a run a smoke run
TRANSFER_BUDGET_S = env_int("BENCH_TRANSFER_BUDGET", 300)

GOALS = {
    "accounts_p95_1_client_ms": 20,
    "accounts_p95_8_clients_ms": 100,
    "accounts_cost_ratio_big_to_small": 1.2,
    "transactions_p95_1_client_ms": 30,
    "transactions_p95_8_clients_ms": 120,
    "post_p95_8_clients_ms": 100,
    "post_throughput_share_of_me": 0.5,
    "transfers_throughput_vs_hordak": 1.0,
    "balance_read_time_vs_hordak": 0.5,
    "batch_throughput_vs_hordak": 10.0,
    "web_p95_ms": 60,
}


# --- Databases ------------------------------------------------------------------------


def database_url(name: str) -> str:
    return urlsplit(ADMIN_URL)._replace(path=f"/{name}").geturl()


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(ADMIN_URL, connect_timeout=3):
            return True
    except Exception:  # any failure means "cannot run"
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


def flush_redis() -> None:
    """Only the benchmark's own database number."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def stack_env(workdir: Path, url: str) -> dict[str, str]:
    env = server_env(workdir)
    env.update(DATABASE_URL=url, REDIS_URL=REDIS_URL)
    return env


def quiet(env: dict[str, str]) -> dict[str, str]:
    """For set-up steps: no Redis, so nothing they do waits for a worker."""
    return {key: value for key, value in env.items() if key != "REDIS_URL"}


def generate(
    env: dict[str, str], email: str, transactions: int, years: int
) -> dict[str, Any]:
    return run_module(  # type: ignore[no-any-return]
        quiet(env),
        "bench.generate",
        f"--email={email}",
        f"--password={PASSWORD}",
        f"--transactions={transactions}",
        f"--years={years}",
        timeout=900,
    )


def busiest_account(url: str, tenant: dict[str, Any]) -> dict[str, Any]:
    """The big tenant's account with the most postings: its statement is the goal's."""
    row = admin(
        "SELECT account_id, count(*) FROM transactions_posting WHERE tenant_id = %s "
        "AND account_id IS NOT NULL GROUP BY account_id ORDER BY 2 DESC LIMIT 1",
        url,
        (tenant["tenant_id"],),
    )
    key = next(k for k, v in tenant["accounts"].items() if v == str(row[0]))
    return {"key": key, "id": str(row[0]), "postings": int(row[1])}


# --- Loads ----------------------------------------------------------------------------


def write_plan(tenant: dict[str, Any]) -> Plan:
    """Eight in ten purchases (card or checking, two categories), one income, one
    transfer: what people record day to day, each with its own Idempotency-Key as the
    mobile app sends it."""
    accounts = tenant["accounts"]
    on = tenant["last_date"]

    def body(client: int, index: int) -> tuple[Any, ...]:
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
        return "POST", "/api/v1/transactions", payload, idempotency_key()

    return body


def check_reads(
    web: Endpoint, headers: dict[str, str], paths: dict[str, str]
) -> dict[str, int]:
    """Each read answers 200 with a full page before it is timed."""
    found = {}
    for name, path in paths.items():
        status, body, _ = request(web, "GET", path, headers=headers)
        assert status == 200, (name, status, body[:300])
        found[name] = len(json.loads(body)["results"])
    return found


def one_and_many(
    web: Endpoint, path: str, headers: dict[str, str], many: bool = True
) -> dict[str, Any]:
    plan = get_plan(path)
    load(web, plan, headers, clients=1, per_client=20)  # warm-up
    found = {
        "1 client": load(
            web,
            plan,
            headers,
            clients=1,
            per_client=READS_ONE_CLIENT,
            budget_s=LOAD_BUDGET_S,
        )
    }
    if many:
        found[f"{CLIENTS} clients"] = load(
            web,
            plan,
            headers,
            clients=CLIENTS,
            per_client=READS_PER_CLIENT,
            budget_s=LOAD_BUDGET_S,
        )
    return found


def measure_reads(
    web: Endpoint,
    big: dict[str, Any],
    small: dict[str, Any],
    headers: dict[str, str],
    small_headers: dict[str, str],
) -> dict[str, Any]:
    paths = read_paths(big)
    results = {
        "paths": paths,
        "page_sizes": check_reads(web, headers, paths),
        "small_tenant_page_sizes": check_reads(web, small_headers, read_paths(small)),
    }
    for name, path in paths.items():
        results[name] = one_and_many(web, path, headers)
    results["GET /api/v1/accounts, small tenant"] = one_and_many(
        web, "/api/v1/accounts", small_headers, many=False
    )
    return results


def measure_writes(
    web: Endpoint, headers: dict[str, str], tenant: dict[str, Any]
) -> dict[str, Any]:
    """The bare authenticated endpoint first, on the same server and connections
    count: the ratio says what the ledger write adds to DRF's own cost."""
    sizes = {
        "clients": CLIENTS,
        "per_client": WRITES_PER_CLIENT,
        "budget_s": LOAD_BUDGET_S,
    }
    warm_up = {"clients": CLIENTS, "per_client": 10}
    load(web, get_plan("/api/v1/me"), headers, **warm_up)
    me = load(web, get_plan("/api/v1/me"), headers, **sizes)
    posts = load(web, write_plan(tenant), headers, **sizes)
    return {
        "POST /api/v1/transactions": posts,
        "GET /api/v1/me": me,
        "throughput_ratio_to_me": _ratio(posts["throughput_rps"], me["throughput_rps"]),
        "p95_ratio_to_me": _ratio(posts["p95_ms"], me["p95_ms"]),
        "idempotency_key": "a fresh one on every POST",
    }


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return round(numerator / denominator, 3)


# --- Web pages ------------------------------------------------------------------------

OLDER = re.compile(
    r'<a\s[^>]*href="([^"]*)"[^>]*>\s*Older transactions\s*</a>', re.IGNORECASE
)


class Browser:
    """A signed-in browser: a session cookie, pages fetched on one keep-alive
    connection."""

    def __init__(self, web: Endpoint, email: str) -> None:
        self.web = web
        status, body, response = request(web, "GET", "/login/")
        assert status == 200, (status, body[:200])
        cookies = _cookies(response)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        assert token, "no CSRF token on /login/"
        form = (
            f"csrfmiddlewaretoken={token.group(1).decode()}&email={email}"
            f"&password={PASSWORD}"
        ).encode()
        status, body, response = request(
            web,
            "POST",
            "/login/",
            raw=form,
            headers={"Cookie": _cookie_header(cookies), "Origin": f"http://{HOST}"},
        )
        assert status == 302, (status, body[:300])
        cookies.update(_cookies(response))
        assert "sessionid" in cookies, "signed in without a session cookie"
        self.headers = {"Cookie": _cookie_header(cookies)}
        self.connection = web.connection()

    def get(self, path: str) -> tuple[int, str]:
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        return response.status, response.read().decode(errors="replace")

    def close(self) -> None:
        self.connection.close()


def _cookies(response: Any) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def _cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def deep_page(browser: Browser, entries: int) -> dict[str, Any]:
    """The transactions page `WEB_PAGE` (or the deepest there is): by ?page= when
    the list pages that way, else by following "Older transactions" from the first
    page, as a person scrolling back would."""
    pages = max(1, math.ceil(entries / WEB_PAGE_SIZE))
    target = min(WEB_PAGE, pages)
    path = "/app/transactions/"
    status, text = browser.get(path)
    assert status == 200, (status, text[:300])
    link = OLDER.search(text)
    if target == 1 or link is None:
        return {"path": path, "page": 1, "method": "first page", "pages": pages}
    href = html.unescape(link.group(1))
    if re.search(r"[?&]page=\d+", href):
        deep = f"{path}?page={target}"
        status, text = browser.get(deep)
        assert status == 200, (deep, status)
        return {
            "path": deep,
            "page": target,
            "method": "?page= (offset pagination)",
            "pages": pages,
            "rows_on_page": text.count("<tr") - 1,
        }
    started, page, current = time.monotonic(), 1, path
    follow_ms = []
    while page < target:
        match = OLDER.search(text)
        if match is None:
            break
        current = urljoin(current, html.unescape(match.group(1)))
        began = time.perf_counter()
        status, text = browser.get(current)
        follow_ms.append((time.perf_counter() - began) * 1000)
        assert status == 200, (current, status)
        page += 1
    return {
        "path": current,
        "page": page,
        "method": f'followed "Older transactions" {page - 1} times',
        "pages": pages,
        "follow_seconds": round(time.monotonic() - started, 1),
        "follow_ms": percentiles(follow_ms),
        "rows_on_page": text.count("<tr") - 1,
    }


def measure_web(
    web: Endpoint, big: dict[str, Any], account: dict[str, Any]
) -> dict[str, Any]:
    browser = Browser(web, big["email"])
    try:
        statement = f"/app/accounts/{account['id']}/"
        status, text = browser.get(statement)
        assert status == 200, (statement, status, text[:300])
        deep = deep_page(browser, big["entries"])
    finally:
        browser.close()
    found: dict[str, Any] = {
        "statement_account": account,
        "transactions_page": deep,
    }
    for name, path in (
        ("GET /app/accounts/<big account>/", statement),
        ("GET /app/transactions/ deep page", deep["path"]),
    ):
        plan = get_plan(path)
        load(web, plan, browser.headers, clients=1, per_client=5)  # warm-up
        found[name] = load(
            web,
            plan,
            browser.headers,
            clients=1,
            per_client=WEB_REQUESTS,
            budget_s=LOAD_BUDGET_S,
        )
    return found


# --- Transfers ------------------------------------------------------------------------


def open_transfer_accounts(web: Endpoint, headers: dict[str, str]) -> dict[str, str]:
    """Four empty USD asset accounts through the API, named as hordak's."""
    kinds = ["checking", "savings", "cash", "investment"]
    found = {}
    for name, kind in zip(TRANSFER_ACCOUNT_NAMES, kinds, strict=True):
        status, body, _ = request(
            web,
            "POST",
            "/api/v1/accounts",
            {"name": name, "kind": kind, "currency": "USD"},
            headers=headers,
        )
        assert status == 201, (status, body[:300])
        found[name] = json.loads(body)["id"]
    return found


def transfer_body(ids: list[str], step: tuple[int, int, str, Any]) -> dict[str, str]:
    source, target, amount, on = step
    return {
        "type": "transfer",
        "from_account": ids[source],
        "to_account": ids[target],
        "amount": amount,
        "date": on.isoformat(),
    }


def one_per_call(
    web: Endpoint, path: str, headers: dict[str, str], ids: list[str]
) -> dict[str, Any]:
    steps = transfer_plan(TRANSFERS)

    def make(step: tuple[int, int, str, Any]) -> tuple[Any, ...]:
        return "POST", path, transfer_body(ids, step), idempotency_key()

    found = load(
        web,
        shared_plan(steps, CLIENTS, make),
        headers,
        clients=CLIENTS,
        per_client=math.ceil(len(steps) / CLIENTS),
        budget_s=TRANSFER_BUDGET_S,
    )
    done = found["requests"] - found["errors"]
    return {
        "planned": len(steps),
        "transfers": done,
        "complete": done == len(steps),
        "transfers_per_s": round(done / found["seconds"], 1) if found["seconds"] else 0,
        "calls": found,
    }


def batched(web: Endpoint, headers: dict[str, str], ids: list[str]) -> dict[str, Any]:
    steps = transfer_plan(TRANSFERS)
    chunks = [steps[i : i + BATCH_SIZE] for i in range(0, len(steps), BATCH_SIZE)]

    def make(chunk: list[Any]) -> tuple[Any, ...]:
        body = {"transactions": [transfer_body(ids, step) for step in chunk]}
        return "POST", BATCH_PATH, body, idempotency_key()

    clients = min(CLIENTS, len(chunks))
    found = load(
        web,
        shared_plan(chunks, clients, make),
        headers,
        clients=clients,
        per_client=math.ceil(len(chunks) / clients),
        budget_s=TRANSFER_BUDGET_S,
    )
    ok_calls = found["requests"] - found["errors"]
    done = len(steps) if ok_calls == len(chunks) else ok_calls * BATCH_SIZE
    return {
        "planned": len(steps),
        "per_call": BATCH_SIZE,
        "transfers": min(done, len(steps)),
        "complete": ok_calls == len(chunks),
        "transfers_per_s": round(min(done, len(steps)) / found["seconds"], 1)
        if found["seconds"]
        else 0,
        "calls": found,
    }


BATCH_PATH = "/api/v1/transactions/batch"


def batch_available(web: Endpoint, headers: dict[str, str]) -> tuple[bool, int]:
    """An empty batch: refused (400) where the endpoint exists, 404/405 where not.
    Nothing is recorded either way."""
    status, _, _ = request(
        web, "POST", BATCH_PATH, {"transactions": []}, headers=headers
    )
    return status not in (404, 405), status


def balances_over_http(
    web: Endpoint, path: str, headers: dict[str, str]
) -> tuple[dict[str, str], dict[str, Any]]:
    """Every balance, read `BALANCE_READS` times on one kept connection after a few
    warm-ups: (balances by account name, timings)."""
    connection = web.connection()
    timings, body = [], b""
    try:
        for index in range(5 + BALANCE_READS):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            assert response.status == 200, (path, response.status, body[:300])
            if index >= 5:
                timings.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    rows = json.loads(body)["results"]
    balances = {row["name"]: _amount(row["balance"]) for row in rows}
    return balances, {"path": path, "reads": BALANCE_READS, **percentiles(timings)}


def _amount(value: Any) -> str:
    amount = value["amount"] if isinstance(value, dict) else value
    return str(Decimal(amount).quantize(Decimal("0.01")))


def expected_balances() -> dict[str, str]:
    """What the transfer plan must leave in each account, computed here."""
    totals = dict.fromkeys(TRANSFER_ACCOUNT_NAMES, Decimal(0))
    for source, target, amount, _ in transfer_plan(TRANSFERS):
        totals[TRANSFER_ACCOUNT_NAMES[source]] -= Decimal(amount)
        totals[TRANSFER_ACCOUNT_NAMES[target]] += Decimal(amount)
    return {
        name: str(value.quantize(Decimal("0.01"))) for name, value in totals.items()
    }


# --- Phases ---------------------------------------------------------------------------


def prepare(workdir: Path, phase: Callable[..., Any]) -> dict[str, Any]:
    url = reset_database(OURS_DB)
    env = stack_env(workdir, url)
    phase("migrate", lambda: manage(quiet(env), "migrate", "--noinput", "-v", "0"))
    big = phase(
        "generate",
        lambda: generate(env, "ledger-big@example.com", TRANSACTIONS, YEARS),
    )
    # a new customer's first year
    small = phase(
        "generate_small",
        lambda: generate(env, "ledger-small@example.com", SMALL_TRANSACTIONS, 1),
    )
    people = run_module(
        quiet(env),
        "bench.inprocess",
        "users",
        "transfers-one@example.com",
        "transfers-batch@example.com",
        timeout=120,
    )
    phase("vacuum", lambda: admin("VACUUM (ANALYZE)", url))
    return {
        "env": env,
        "url": url,
        "big": big,
        "small": small,
        "people": people,
        "account": busiest_account(url, big),
    }


def ours_http(
    prepared: dict[str, Any], workdir: Path, phase: Callable[..., Any]
) -> dict[str, Any]:
    """Everything measured against our server, reads before writes, so the reads see
    exactly the generated tenant."""
    env, big, small = prepared["env"], prepared["big"], prepared["small"]
    flush_redis()
    with Stack(env, workdir / "run-ours", label="ours") as stack:
        web = stack.endpoint("web")
        headers = sign_in(web, big["email"], PASSWORD)
        small_headers = sign_in(web, small["email"], PASSWORD)
        found: dict[str, Any] = {"stack": stack.describe()}
        meter = stack.meter()
        found["health"] = load(
            web, get_plan("/health/"), {}, clients=CLIENTS, per_client=50
        )
        found["reads"] = phase(
            "reads", lambda: measure_reads(web, big, small, headers, small_headers)
        )
        found["web"] = phase("web", lambda: measure_web(web, big, prepared["account"]))
        found["writes"] = phase("writes", lambda: measure_writes(web, headers, big))
        found["cpu_seconds_reads_web_writes"] = meter.stop()
        found["transfers"] = phase(
            "transfers_ours", lambda: transfers_ours(web, prepared["people"], stack)
        )
        found["server_errors"] = server_errors(stack.processes["web"].log)
        found["worker_errors"] = worker_errors(stack.processes["worker"].log)
    flush_redis()
    return found


def transfers_ours(
    web: Endpoint, people: list[dict[str, str]], stack: Stack
) -> dict[str, Any]:
    one, many = people
    found: dict[str, Any] = {}
    headers = sign_in(web, one["email"], PASSWORD)
    accounts = open_transfer_accounts(web, headers)
    ids = [accounts[name] for name in TRANSFER_ACCOUNT_NAMES]
    meter = stack.meter()
    found["one_per_call"] = one_per_call(web, "/api/v1/transactions", headers, ids)
    found["one_per_call"]["cpu_seconds"] = meter.stop()
    balances, timing = balances_over_http(web, "/api/v1/accounts", headers)
    found["one_per_call"].update(balances=balances, balance_read_http=timing)
    found["one_per_call"]["tenant_id"] = one["tenant_id"]
    found["one_per_call"]["account_ids"] = ids

    headers = sign_in(web, many["email"], PASSWORD)
    available, status = batch_available(web, headers)
    if not available:
        found["batch"] = {
            "available": False,
            "not_available": f"POST {BATCH_PATH} answered {status}",
        }
        return found
    accounts = open_transfer_accounts(web, headers)
    ids = [accounts[name] for name in TRANSFER_ACCOUNT_NAMES]
    meter = stack.meter()
    found["batch"] = {"available": True, **batched(web, headers, ids)}
    found["batch"]["cpu_seconds"] = meter.stop()
    balances, timing = balances_over_http(web, "/api/v1/accounts", headers)
    found["batch"].update(balances=balances, balance_read_http=timing)
    return found


def hordak_side(workdir: Path, install_problem: str | None) -> dict[str, Any]:
    """django-hordak in its own database, behind the same gunicorn command."""
    import importlib
    import importlib.util

    importlib.invalidate_caches()
    if importlib.util.find_spec("hordak") is None:
        reason = install_problem or "django-hordak is not installed"
        return {"skipped": f"{reason} (pip install -r bench/requirements.txt)"}
    env = stack_env(workdir, reset_database(HORDAK_DB))
    env["DJANGO_SETTINGS_MODULE"] = "bench.hordak_settings"
    manage(quiet(env), "migrate", "--noinput", "-v", "0")
    made = run_module(
        quiet(env),
        "bench.hordak_side",
        "setup",
        "hordak@example.com",
        PASSWORD,
        timeout=120,
    )
    admin("VACUUM (ANALYZE)", env["DATABASE_URL"])
    flush_redis()
    ids = [made["accounts"][name] for name in TRANSFER_ACCOUNT_NAMES]
    with Stack(env, workdir / "run-hordak", roles=("web",), label="hordak") as stack:
        web = stack.endpoint("web")
        headers = sign_in(web, made["email"], PASSWORD)
        meter = stack.meter()
        found = one_per_call(web, "/bench/hordak/transfers", headers, ids)
        found["cpu_seconds"] = meter.stop()
        one, one_timing = balances_over_http(web, "/bench/hordak/balances", headers)
        _, each_timing = balances_over_http(
            web, "/bench/hordak/balances?each=1", headers
        )
        found["server_errors"] = server_errors(stack.processes["web"].log)
        found["stack"] = stack.describe()
    flush_redis()
    fastest = min((one_timing, each_timing), key=lambda t: t["p50"])
    found.update(
        library=f"django-hordak {_version('django-hordak')}",
        balances=one,
        balance_read_http=fastest,
        balance_read_http_both={
            "with_balances": one_timing,
            "get_balance_each": each_timing,
        },
        balance_read_in_process=run_module(
            quiet(env), "bench.hordak_side", "balances", timeout=120
        ),
        view="bench/hordak_urls.py: DRF APIView with the product's authentication, "
        "throttles and renderer; Account.transfer_to() in one transaction; no "
        "idempotency record, no events",
    )
    return found


def _version(package: str) -> str | None:
    import importlib.metadata

    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def server_errors(log: Path) -> dict[str, int]:
    """The server's logged errors, by their last line (what failed and why)."""
    found: Counter[str] = Counter()
    text = log.read_text(errors="replace") if log.exists() else ""
    for line in text.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            if "Traceback" in line or "[ERROR]" in line or "[CRITICAL]" in line:
                found[line.strip()[:200]] += 1
            continue
        if isinstance(event, dict) and event.get("level") in ("error", "critical"):
            cause = (event.get("exception") or event.get("event", "")).strip()
            found[cause.splitlines()[-1][:200] if cause else "?"] += 1
    return dict(found.most_common(5))


def worker_errors(log: Path) -> int:
    text = log.read_text(errors="replace") if log.exists() else ""
    return sum(
        1
        for line in text.splitlines()
        if '"level": "error"' in line or "[ERROR" in line
    )


# --- Comparison and goals -------------------------------------------------------------


def compare(ours: dict[str, Any], hordak: dict[str, Any]) -> dict[str, Any]:
    expected = expected_balances()
    one = ours["one_per_call"]
    found: dict[str, Any] = {
        "expected_balances": expected,
        "ours_balances_as_expected": one["balances"] == expected,
    }
    batch = ours.get("batch", {})
    if batch.get("available"):
        found["batch_balances_as_expected"] = batch["balances"] == expected
    if "skipped" in hordak:
        return found
    found.update(
        hordak_balances_as_expected=hordak["balances"] == expected,
        balances_identical=one["balances"] == hordak["balances"]
        and (not batch.get("available") or batch["balances"] == hordak["balances"]),
        transfers_throughput_ratio=_ratio(
            one["transfers_per_s"], hordak["transfers_per_s"]
        ),
        balance_read_time_ratio_http=_ratio(
            one["balance_read_http"]["p50"], hordak["balance_read_http"]["p50"]
        ),
        balance_read_time_ratio_in_process=_ratio(
            ours.get("balance_read_in_process", {}).get("balance_read_ms"),
            hordak["balance_read_in_process"]["balance_read_ms"],
        ),
    )
    if batch.get("available"):
        found["batch_throughput_ratio"] = _ratio(
            batch["transfers_per_s"], hordak["transfers_per_s"]
        )
    return found


def goal(target: str, measured: Any, met: bool | None, **more: Any) -> dict[str, Any]:
    verdict = "not measured" if met is None else ("yes" if met else "no")
    return {"target": target, "measured": measured, "met": verdict, **more}


# An export that streams needs about as much memory for 100k transactions as for 1k.
EXPORT_MEMORY_SLACK_MIB = 32


def _export_streams(export: dict[str, Any]) -> dict[str, Any]:
    big, small = export["big"], export["small"]
    growth = big["peak_rss_growth_mib"]
    limit = small["peak_rss_growth_mib"] + EXPORT_MEMORY_SLACK_MIB
    return goal(
        f"peak memory growth exporting {TRANSACTIONS:,} transactions <= that of "
        f"{SMALL_TRANSACTIONS:,} + {EXPORT_MEMORY_SLACK_MIB} MiB (it streams)",
        growth,
        big["outcome"] == "ready" and growth <= limit,
        unit="MiB",
        big_seconds=big["seconds"],
        big_rows=big["rows"],
        small_growth_mib=small["peak_rss_growth_mib"],
    )


def goals(results: dict[str, Any]) -> dict[str, Any]:
    """Each goal of the issue, with the figure it was judged on."""
    http, versus = results["http"], results["versus_hordak"]
    reads, writes, web = http["reads"], http["writes"], http["web"]
    many = f"{CLIENTS} clients"
    accounts, lists = reads["GET /api/v1/accounts"], reads["GET /api/v1/transactions"]
    small = reads["GET /api/v1/accounts, small tenant"]["1 client"]
    big_tx, small_tx = TRANSACTIONS, SMALL_TRANSACTIONS
    cost = _ratio(accounts["1 client"]["p50_ms"], small["p50_ms"])
    post, me = writes["POST /api/v1/transactions"], writes["GET /api/v1/me"]
    found = {
        "accounts_p95_1_client": _le(accounts["1 client"]["p95_ms"], 20, "ms"),
        f"accounts_p95_{CLIENTS}_clients": _le(accounts[many]["p95_ms"], 100, "ms"),
        "accounts_cost_big_vs_small": goal(
            f"<= 1.2x (p50 at {big_tx:,} transactions / p50 at {small_tx:,}, 1 client)",
            cost,
            cost is not None and cost <= 1.2,
            big_p50_ms=accounts["1 client"]["p50_ms"],
            small_p50_ms=small["p50_ms"],
        ),
        "transactions_p95_1_client": _le(lists["1 client"]["p95_ms"], 30, "ms"),
        f"transactions_p95_{CLIENTS}_clients": _le(lists[many]["p95_ms"], 120, "ms"),
        f"post_p95_{CLIENTS}_clients": _le(post["p95_ms"], 100, "ms"),
        "post_throughput_vs_me": goal(
            ">= 0.5x GET /api/v1/me's throughput, same server",
            writes["throughput_ratio_to_me"],
            (writes["throughput_ratio_to_me"] or 0) >= 0.5,
            post_rps=post["throughput_rps"],
            me_rps=me["throughput_rps"],
        ),
    }
    found["export_streams"] = _export_streams(results["export"])
    one = http["transfers"]["one_per_call"]
    if "transfers_throughput_ratio" in versus:
        ratio = versus["transfers_throughput_ratio"]
        found["transfers_vs_hordak"] = goal(
            f">= 1.0x django-hordak's transfers/s ({TRANSFERS:,} one per call, "
            f"{CLIENTS} clients, HTTP)",
            ratio,
            _met_if_complete(
                ratio is not None and ratio >= 1.0, one, results["hordak"]
            ),
            ours_per_s=one["transfers_per_s"],
            hordak_per_s=results["hordak"]["transfers_per_s"],
        )
        read = versus["balance_read_time_ratio_http"]
        found["balance_read_vs_hordak"] = goal(
            "<= 0.5x django-hordak's time to read every balance (HTTP, median)",
            read,
            read is not None and read <= 0.5,
            ours_ms=one["balance_read_http"]["p50"],
            hordak_ms=results["hordak"]["balance_read_http"]["p50"],
            in_process_ratio=versus["balance_read_time_ratio_in_process"],
        )
        found["balances_identical"] = goal(
            "identical balances (ours one per call, ours batched, django-hordak)",
            versus["balances_identical"],
            bool(versus["balances_identical"]),
        )
    else:
        reason = results["hordak"].get("skipped", "django-hordak not measured")
        for name in (
            "transfers_vs_hordak",
            "balance_read_vs_hordak",
            "balances_identical",
        ):
            found[name] = goal("vs django-hordak", None, None, reason=reason)
    batch = http["transfers"].get("batch", {})
    if not batch.get("available"):
        found["batch_vs_hordak"] = goal(
            ">= 10x django-hordak's transfers/s",
            "not available",
            None,
            reason=batch.get("not_available"),
        )
    elif "batch_throughput_ratio" in versus:
        ratio = versus["batch_throughput_ratio"]
        found["batch_vs_hordak"] = goal(
            f">= 10x django-hordak's transfers/s (batches of {BATCH_SIZE}; hordak has "
            "no batch API: its one-per-call figure)",
            ratio,
            _met_if_complete(
                ratio is not None and ratio >= 10, batch, results["hordak"]
            ),
            ours_per_s=batch["transfers_per_s"],
        )
    else:
        found["batch_vs_hordak"] = goal(
            ">= 10x django-hordak's transfers/s",
            batch.get("transfers_per_s"),
            None,
            reason="django-hordak not measured",
        )
    statement = web["GET /app/accounts/<big account>/"]
    deep = web["GET /app/transactions/ deep page"]
    page = web["transactions_page"]["page"]
    found["web_statement_p95"] = _le(statement["p95_ms"], 60, "ms")
    found["web_transactions_page_p95"] = _le(
        deep["p95_ms"], 60, "ms", page=page, wanted_page=WEB_PAGE
    )
    if page < WEB_PAGE:
        found["web_transactions_page_p95"]["note"] = (
            f"only {web['transactions_page']['pages']} pages exist at "
            f"{TRANSACTIONS:,} transactions"
        )
    return found


def _met_if_complete(met: bool, *runs: dict[str, Any]) -> bool | None:
    """A throughput ratio judges only runs that did all their transfers."""
    return met if all(run["complete"] for run in runs) else None


def _le(measured: float, limit: float, unit: str, **more: Any) -> dict[str, Any]:
    return goal(f"p95 <= {limit:g} {unit}", measured, measured <= limit, **more)


def inputs() -> dict[str, Any]:
    return {
        "transactions": TRANSACTIONS,
        "years": YEARS,
        "small_tenant_transactions": SMALL_TRANSACTIONS,
        "small_tenant_years": 1,
        "clients": CLIENTS,
        "reads_one_client": READS_ONE_CLIENT,
        "reads_per_client_concurrent": READS_PER_CLIENT,
        "writes_per_client": WRITES_PER_CLIENT,
        "transfers": TRANSFERS,
        "batch_size": BATCH_SIZE,
        "web_requests": WEB_REQUESTS,
        "web_page": WEB_PAGE,
        "balance_reads": BALANCE_READS,
        "load_budget_s": LOAD_BUDGET_S,
        "transfer_budget_s": TRANSFER_BUDGET_S,
        "write_mix": "80% outflow (2 categories, card/checking), 10% inflow, "
        "10% transfer; every POST with a fresh Idempotency-Key",
        "after_generation": "VACUUM (ANALYZE)",
        "databases": [OURS_DB, HORDAK_DB],
        "redis": REDIS_URL,
    }


def run(
    workdir: Path, phase: Callable[..., Any], install_problem: str | None
) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    prepared = prepare(workdir, phase)
    big, small = prepared["big"], prepared["small"]
    results: dict[str, Any] = {"http": ours_http(prepared, workdir, phase)}
    env = prepared["env"]
    tenants = json.dumps({"big": big, "small": small})
    results["queries"] = phase(
        "queries",
        lambda: run_module(env, "bench.inprocess", "queries", tenants, timeout=300),
    )
    results["export"] = phase(
        "export",
        lambda: {
            name: run_module(env, "bench.export", tenant["tenant_id"], timeout=900)
            for name, tenant in (("big", big), ("small", small))
        },
    )
    flush_redis()  # the relay tasks those POSTs queued for a worker that is gone
    one = results["http"]["transfers"]["one_per_call"]
    results["http"]["transfers"]["balance_read_in_process"] = run_module(
        env,
        "bench.inprocess",
        "balances",
        one["tenant_id"],
        *one["account_ids"],
        timeout=120,
    )
    results["hordak"] = phase(
        "transfers_hordak", lambda: hordak_side(workdir, install_problem)
    )
    results["versus_hordak"] = compare(results["http"]["transfers"], results["hordak"])
    return {
        "inputs": inputs(),
        "tenants": {"big": _tenant_summary(big), "small": _tenant_summary(small)},
        "results": results,
        "goals": goals(results),
    }


def _tenant_summary(tenant: dict[str, Any]) -> dict[str, Any]:
    keys = ("transactions", "entries", "postings", "first_date", "last_date", "seconds")
    summary = {key: tenant[key] for key in keys}
    summary["accounts"] = len(tenant["accounts"])
    summary["busy_category"] = tenant["busy_category"]["name"]
    return summary


# --- Report ---------------------------------------------------------------------------


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    http = results["http"]
    print(f"\nledger, {report['tenants']['big']['transactions']:,} transactions")
    print(f"{'measure':<52}{'req':>6}{'err':>5}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}")
    _row("GET /health/ (8 clients)", http["health"])
    for name in (
        "GET /api/v1/accounts",
        "GET /api/v1/transactions",
        "GET /api/v1/accounts, small tenant",
    ):
        for clients, row in http["reads"][name].items():
            _row(f"{name} ({clients})", row)
    for name in (
        "GET /app/accounts/<big account>/",
        "GET /app/transactions/ deep page",
    ):
        _row(f"{name} (1 client)", http["web"][name])
    writes = http["writes"]
    for name in ("GET /api/v1/me", "POST /api/v1/transactions"):
        _row(f"{name} ({CLIENTS} clients)", writes[name])
    transfers = http["transfers"]
    one = transfers["one_per_call"]
    _row(f"transfers one per call, ours ({CLIENTS} clients)", one["calls"])
    hordak = results["hordak"]
    if "skipped" not in hordak:
        _row(f"transfers one per call, hordak ({CLIENTS} clients)", hordak["calls"])
    batch = transfers.get("batch", {})
    if batch.get("available"):
        _row(f"batches of {BATCH_SIZE}, ours", batch["calls"])
    statements = results["queries"]["post_statements"]
    print(
        f"SQL statements of one keyed POST /api/v1/transactions: "
        f"{statements['statements']} (+{statements['savepoint_lines_not_counted']} "
        "savepoint lines not counted)"
    )
    for sql in statements["sql"]:
        print(f"    {sql[:150]}")


def _row(label: str, row: dict[str, Any]) -> None:
    print(
        f"{label:<52}{row['requests']:>6}{row['errors']:>5}{row['throughput_rps']:>8}"
        f"{row['p50_ms']:>9}{row['p95_ms']:>9}"
    )
