"""`make bench`, budgets part: `GET /api/v1/budgets` with 50 budgets on the
100,000-transaction tenant, over HTTP on the production shape, and its SQL counted
in-process for 1 budget and for 50 (the goal: the same queries whatever the number of
budgets and of transactions, p95 <= 30 ms).

    python bench/run.py --only budgets         this part alone
    python -m bench.budgets setup '<tenant>'   (in-process) the budgets and the counts

Its own database (`<prefix>_budgets`), generated like the ledger part's big tenant.
The 50 budgets mix weekly, monthly and yearly periods, groups and single categories,
half with rollover, started over the last year (rollover reads every period since).
Sizes: BENCH_BUDGET_TRANSACTIONS 100000/5000, BENCH_BUDGET_READS 200/40.
"""

from __future__ import annotations

import json
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

from bench import ledger
from bench.common import get_plan, load, manage, run_module, sign_in
from bench.sizes import size
from bench.stack import Stack

BUDGETS_DB = f"{ledger.DATABASE_PREFIX}_budgets"
TRANSACTIONS = size("BENCH_BUDGET_TRANSACTIONS", 100_000, 5_000)
READS = size("BENCH_BUDGET_READS", 200, 40)
BUDGETS = 50
PATH = f"/api/v1/budgets?limit={BUDGETS}"
P95_GOAL_MS = 30
PERIODS = ("week", "month", "year")


def run(workdir: Path, phase: Any) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    url = ledger.reset_database(BUDGETS_DB)
    env = ledger.stack_env(workdir, url)
    quiet = ledger.quiet(env)
    phase("budgets: migrate", lambda: manage(quiet, "migrate", "--noinput", "-v", "0"))
    tenant = phase(
        "budgets: generate",
        lambda: ledger.generate(
            env, "budgets-big@example.com", TRANSACTIONS, ledger.YEARS
        ),
    )
    counted = phase(
        "budgets: set up and count",
        lambda: run_module(
            quiet, "bench.budgets", "setup", json.dumps(tenant), timeout=300
        ),
    )
    ledger.admin("VACUUM (ANALYZE)", url)
    ledger.flush_redis()
    with Stack(env, workdir / "run", roles=("web",), label="budgets") as stack:
        web = stack.endpoint("web")
        headers = sign_in(web, tenant["email"], ledger.PASSWORD)
        load(web, get_plan(PATH), headers, clients=1, per_client=20)  # warm-up
        http = phase(
            "budgets: reads",
            lambda: load(
                web,
                get_plan(PATH),
                headers,
                clients=1,
                per_client=READS,
                budget_s=ledger.LOAD_BUDGET_S,
            ),
        )
        server_errors = ledger.server_errors(stack.processes["web"].log)
    results = {"GET /api/v1/budgets (1 client)": http, "queries": counted}
    results["server_errors"] = server_errors
    return {
        "inputs": {"transactions": TRANSACTIONS, "budgets": BUDGETS, "reads": READS},
        "tenant": {k: tenant[k] for k in ("transactions", "postings", "seconds")},
        "results": results,
        "goals": goals(http, counted),
    }


def goals(http: dict[str, Any], counted: dict[str, Any]) -> dict[str, Any]:
    one, many = counted["1 budget"]["queries"], counted[f"{BUDGETS} budgets"]["queries"]
    complete = http["errors"] == 0 and not http["stopped_by_time_budget"]
    return {
        "budgets_list_p95": ledger.goal(
            f"GET /api/v1/budgets, {BUDGETS} budgets, {TRANSACTIONS:,} transactions: "
            f"p95 <= {P95_GOAL_MS} ms",
            http["p95_ms"],
            http["p95_ms"] <= P95_GOAL_MS if complete else None,
        ),
        "budgets_list_queries": ledger.goal(
            f"GET /api/v1/budgets: the same queries for 1 and {BUDGETS} budgets",
            {"1 budget": one, f"{BUDGETS} budgets": many},
            one == many,
        ),
    }


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    row = results["GET /api/v1/budgets (1 client)"]
    print(f"\nbudgets, {report['tenant']['transactions']:,} transactions")
    print(f"{'measure':<52}{'req':>6}{'err':>5}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}")
    ledger._row(f"GET /api/v1/budgets, {BUDGETS} budgets (1 client)", row)
    for name, found in results["queries"].items():
        print(f"{name}: {found['queries']} queries, {found['sql_ms']} ms of SQL")


# --- In-process: the budgets, and their SQL counted ---------------------------------


def setup(tenant: dict[str, Any]) -> dict[str, Any]:
    """One budget, its list counted; then 49 more, counted again."""
    from django.test import Client
    from django.utils import timezone

    from bench.inprocess import PASSWORD, timed
    from modules.budgets.application.use_cases import CreateBudget, create_budget
    from modules.budgets.domain.periods import PeriodKind
    from modules.budgets.infrastructure.uow import unit_of_work
    from modules.shared.application.tenancy import tenant_scope
    from modules.transactions import api as transactions

    client = Client(HTTP_HOST="127.0.0.1")
    signed = client.post(
        "/api/v1/sessions",
        data={"email": tenant["email"], "password": PASSWORD},
        content_type="application/json",
    )
    headers = {"Authorization": f"Bearer {signed.json()['access']}"}
    today = timezone.localdate()
    found: dict[str, Any] = {}
    with tenant_scope(tenant["tenant_id"]):
        categories = sorted(
            (c for c in transactions.expense_categories() if not c.archived_at),
            key=lambda c: c.name,
        )
    for number in range(BUDGETS):
        category = categories[number % len(categories)]
        with tenant_scope(tenant["tenant_id"]):
            create_budget(
                uow=unit_of_work(),
                command=CreateBudget(
                    category_id=category.id,
                    group=category.parent_id is None,
                    period=PeriodKind(PERIODS[number % len(PERIODS)]),
                    amount=f"{100 + 10 * number}.00",
                    rollover=number % 2 == 0,
                    starts_on=today - timedelta(days=7 * number),
                ),
            )
        if number + 1 in (1, BUDGETS):
            name = "1 budget" if number == 0 else f"{BUDGETS} budgets"
            found[name] = timed(client, "GET", PATH, headers, None)
            assert found[name]["results"] == number + 1, found[name]
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
