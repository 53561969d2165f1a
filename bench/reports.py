"""`make bench`, reports part: the dashboard page and each report over five years by
month, for the 100,000-transaction tenant in three currencies (USD and EUR from the
generator, a GBP account added here), over HTTP on the production shape; and their
SQL counted in-process for a small tenant and the big one (the goal: the same
queries whatever the history).

    python bench/run.py --only reports        this part alone
    python -m bench.reports setup '<tenants>'  (in-process) the GBP account, the
                                               ECB-style daily rates, the counts

Goals: dashboard p95 <= 150 ms with constant queries; each report, 60 months,
p95 <= 50 ms. Its own database (`<prefix>_reports`). Sizes:
BENCH_REPORT_TRANSACTIONS 100000/5000, BENCH_REPORT_READS 100/20.
"""

from __future__ import annotations

import json
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bench import ledger
from bench.common import get_plan, load, manage, run_module, sign_in
from bench.sizes import size
from bench.stack import Stack

REPORTS_DB = f"{ledger.DATABASE_PREFIX}_reports"
TRANSACTIONS = size("BENCH_REPORT_TRANSACTIONS", 100_000, 5_000)
SMALL = 1_000
READS = size("BENCH_REPORT_READS", 100, 20)
GBP_TRANSACTIONS = 500
DASHBOARD_P95_MS = 150
REPORT_P95_MS = 50
REPORTS = ("net-worth", "cash-flow", "spending-by-category")


def report_paths(today: date) -> dict[str, str]:
    """Each report over the last five years, by month (60 months)."""
    first = date(today.year - 5, today.month, 1) + timedelta(days=32)
    span = f"from={first:%Y-%m}&to={today:%Y-%m}&interval=month"
    return {name: f"/api/v1/reports/{name}?{span}" for name in REPORTS}


def run(workdir: Path, phase: Any) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    url = ledger.reset_database(REPORTS_DB)
    env = ledger.stack_env(workdir, url)
    quiet = ledger.quiet(env)
    phase("reports: migrate", lambda: manage(quiet, "migrate", "--noinput", "-v", "0"))
    tenants = {
        name: phase(
            f"reports: generate {name}",
            lambda n=name, count=count: ledger.generate(
                env, f"reports-{n}@example.com", count, ledger.YEARS
            ),
        )
        for name, count in (("small", SMALL), ("big", TRANSACTIONS))
    }
    counted = phase(
        "reports: set up and count",
        lambda: run_module(
            quiet, "bench.reports", "setup", json.dumps(tenants), timeout=600
        ),
    )
    ledger.admin("VACUUM (ANALYZE)", url)
    ledger.flush_redis()
    big = tenants["big"]
    results: dict[str, Any] = {"queries": counted}
    with Stack(env, workdir / "run", roles=("web",), label="reports") as stack:
        web = stack.endpoint("web")
        browser = ledger.Browser(web, big["email"])
        browser.close()
        dashboard = get_plan("/app/")
        load(web, dashboard, browser.headers, clients=1, per_client=5)  # warm-up
        results["GET /app/ (dashboard)"] = phase(
            "reports: dashboard",
            lambda: load(
                web,
                dashboard,
                browser.headers,
                clients=1,
                per_client=READS,
                budget_s=ledger.LOAD_BUDGET_S,
            ),
        )
        headers = sign_in(web, big["email"], ledger.PASSWORD)
        for name, path in report_paths(date.fromisoformat(counted["today"])).items():
            plan = get_plan(path)
            load(web, plan, headers, clients=1, per_client=5)  # warm-up
            results[f"GET /api/v1/reports/{name} (60 months)"] = phase(
                f"reports: {name}",
                lambda p=plan: load(
                    web,
                    p,
                    headers,
                    clients=1,
                    per_client=READS,
                    budget_s=ledger.LOAD_BUDGET_S,
                ),
            )
        results["server_errors"] = ledger.server_errors(stack.processes["web"].log)
    return {
        "inputs": {
            "transactions": TRANSACTIONS,
            "gbp_transactions": GBP_TRANSACTIONS,
            "currencies": ["USD", "EUR", "GBP"],
            "reads": READS,
        },
        "tenant": {k: big[k] for k in ("transactions", "postings", "seconds")},
        "results": results,
        "goals": goals(results),
    }


def _complete(row: dict[str, Any]) -> bool:
    return row["errors"] == 0 and not row["stopped_by_time_budget"]


def goals(results: dict[str, Any]) -> dict[str, Any]:
    counted = results["queries"]
    dashboard = results["GET /app/ (dashboard)"]
    found = {
        "dashboard_p95": ledger.goal(
            f"GET /app/ (dashboard), {TRANSACTIONS:,} transactions, 3 currencies: "
            f"p95 <= {DASHBOARD_P95_MS} ms",
            dashboard["p95_ms"],
            dashboard["p95_ms"] <= DASHBOARD_P95_MS if _complete(dashboard) else None,
        ),
        "dashboard_queries": ledger.goal(
            "GET /app/: the same queries for a small and the big tenant",
            counted["dashboard"],
            counted["dashboard"]["small"] == counted["dashboard"]["big"],
        ),
    }
    for name in REPORTS:
        row = results[f"GET /api/v1/reports/{name} (60 months)"]
        found[f"report_{name.replace('-', '_')}_p95"] = ledger.goal(
            f"GET /api/v1/reports/{name}, 60 months: p95 <= {REPORT_P95_MS} ms",
            row["p95_ms"],
            row["p95_ms"] <= REPORT_P95_MS if _complete(row) else None,
        )
    return found


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    print(f"\nreports, {report['tenant']['transactions']:,} transactions, 3 currencies")
    print(f"{'measure':<52}{'req':>6}{'err':>5}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for name, row in results.items():
        if name.startswith("GET "):
            ledger._row(name, row)
    for name, found in results["queries"].items():
        if name != "today":
            print(f"{name}: queries {found}")


# --- In-process: a third currency, the rates, and the SQL counted -------------------


def _third_currency(tenant_id: str, today: date) -> None:
    """A pound account with a purchase every few days over the five years."""
    from modules.accounts import api as accounts
    from modules.shared.application.tenancy import tenant_scope
    from modules.transactions import api as transactions

    with tenant_scope(tenant_id):
        account = accounts.open_account(
            uow=accounts.unit_of_work(),
            command=accounts.OpenAccount(
                tenant_id=tenant_id,
                name="Pound account",
                kind=accounts.AccountKind.CHECKING,
                currency="GBP",
                opening_balance="5000.00",
                opened_on=today - timedelta(days=365 * ledger.YEARS),
            ),
        )
        step = max(365 * ledger.YEARS // GBP_TRANSACTIONS, 1)
        commands = [
            transactions.RecordFlow(
                direction=transactions.EntryKind.OUTFLOW,
                account_id=account.id,
                amount=f"{5 + number % 40}.25",
                on=today - timedelta(days=number * step),
            )
            for number in range(GBP_TRANSACTIONS)
        ]
        for start in range(0, len(commands), 500):
            transactions.record_batch(
                uow=transactions.unit_of_work(), commands=commands[start : start + 500]
            )


def _daily_rates(today: date) -> None:
    """ECB-style rates (1 EUR in USD and GBP) for every weekday of the five years."""
    from decimal import Decimal

    from modules.accounts.domain.rates import Rate
    from modules.accounts.infrastructure.rates import load_reference_rates

    first = today - timedelta(days=365 * ledger.YEARS + 40)
    days = [first + timedelta(days=n) for n in range((today - first).days + 1)]
    load_reference_rates(
        Rate(base="EUR", quote=quote, day=day, rate=Decimal(rate), source="ECB")
        for day in days
        if day.weekday() < 5
        for quote, rate in (("USD", "1.0842"), ("GBP", "0.8571"))
    )


def _count(client: Any, path: str, headers: dict[str, str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, headers=headers)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def setup(tenants: dict[str, Any]) -> dict[str, Any]:
    from django.test import Client
    from django.utils import timezone

    from bench.inprocess import PASSWORD

    today = timezone.localdate()
    _daily_rates(today)
    found: dict[str, Any] = {"today": today.isoformat(), "dashboard": {}}
    for name, tenant in tenants.items():
        _third_currency(tenant["tenant_id"], today)
        browser = Client(HTTP_HOST="127.0.0.1")
        assert browser.login(email=tenant["email"], password=PASSWORD)
        found["dashboard"][name] = _count(browser, "/app/", {})
        api = Client(HTTP_HOST="127.0.0.1")
        signed = api.post(
            "/api/v1/sessions",
            data={"email": tenant["email"], "password": PASSWORD},
            content_type="application/json",
        )
        headers = {"Authorization": f"Bearer {signed.json()['access']}"}
        for report, path in report_paths(today).items():
            found.setdefault(report, {})[name] = _count(api, path, headers)
    return found


def main() -> None:
    from bench.inprocess import setup as django_setup

    command, *rest = sys.argv[1:]
    if command != "setup":
        raise SystemExit(f"unknown command {command}")
    django_setup()
    print(json.dumps(setup(json.loads(rest[0]))))


if __name__ == "__main__":
    main()
