"""Recurring transactions in `make bench`: the forecast and the sweep, in process.

    python bench/run.py --only recurring      this part alone
    python -m bench.recurring measure         (what the part runs, against its database)

The forecast: `GET /api/v1/reports/forecast?days=365` for one person with 10 accounts
and 50 rules (monthly, weekly, daily, bills), through Django's test client with a real
access token (the whole view, no HTTP server): p50/p95 and the SQL statements it runs.
The sweep: BENCH_RECURRING_PEOPLE people (1,000; smoke 100), each with one daily rule
ten days behind, so one sweep records 10 dates each (10,000 occurrences; smoke 1,000)
through the ledger's write path: occurrences per second, and a check that each date is
recorded exactly once (a second sweep records nothing).

Sizes (full / smoke): BENCH_RECURRING_PEOPLE 1000/100, BENCH_RECURRING_FORECASTS
200/30. The database is `<BENCH_DATABASE_PREFIX>_recurring` (dropped and created);
tasks go to Redis at BENCH_REDIS_URL, as in production (no worker runs them here).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import manage, percentiles, server_env
from bench.sizes import size

PEOPLE = size("BENCH_RECURRING_PEOPLE", 1000, 100)
FORECASTS = size("BENCH_RECURRING_FORECASTS", 200, 30)
DATES_BEHIND = 10
ACCOUNTS = 10
RULES = 50
FORECAST_GOAL_MS = 100
PASSWORD = "bench-password-long-enough"


# --- The part, run from bench/run.py (no Django here) ----------------------------------


def run(workdir: Path, phase: Any) -> dict[str, Any]:
    from bench import ledger
    from bench.common import run_module

    url = phase(
        "recurring: database",
        lambda: ledger.reset_database(f"{ledger.DATABASE_PREFIX}_recurring"),
    )
    env = server_env(workdir)
    env.update(
        DATABASE_URL=url,
        REDIS_URL=ledger.REDIS_URL,
        BENCH_RECURRING_PEOPLE=str(PEOPLE),
        BENCH_RECURRING_FORECASTS=str(FORECASTS),
    )
    phase(
        "recurring: migrate", lambda: manage(env, "migrate", "--noinput", timeout=600)
    )
    ledger.flush_redis()
    try:
        found: dict[str, Any] = phase(
            "recurring: measure",
            lambda: run_module(env, "bench.recurring", "measure", timeout=3600),
        )
    finally:
        ledger.flush_redis()
    found["goals"] = goals(found)
    return found


def goals(found: dict[str, Any]) -> dict[str, Any]:
    forecast, sweep = found["forecast"], found["sweep"]
    p95 = forecast["ms"]["p95"]
    once = sweep["occurrences"] == sweep["expected"] == sweep["transactions"]
    return {
        "forecast_365_days_p95": {
            "target": f"<= {FORECAST_GOAL_MS} ms ({ACCOUNTS} accounts, {RULES} rules, 1 client)",
            "measured": f"{p95} ms",
            "met": "yes" if p95 <= FORECAST_GOAL_MS else "no",
        },
        "sweep_throughput": {
            "target": (
                f"{sweep['expected']:,} due occurrences across {sweep['people']:,} "
                "people, each recorded exactly once (the figure is reported)"
            ),
            "measured": f"{sweep['occurrences_per_second']} occurrences/s",
            "met": "yes" if once and sweep["second_sweep_recorded"] == 0 else "no",
        },
    }


def print_report(found: dict[str, Any]) -> None:
    forecast, sweep = found["forecast"], found["sweep"]
    print(
        f"forecast 365 days: p50 {forecast['ms']['p50']} ms, p95 {forecast['ms']['p95']} ms, "
        f"{forecast['queries']} queries"
    )
    print(
        f"sweep: {sweep['occurrences']:,} occurrences in {sweep['seconds']} s "
        f"({sweep['occurrences_per_second']}/s) across {sweep['people']:,} people"
    )


# --- In process (python -m bench.recurring measure) ------------------------------------


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings

    # People are made by the thousand here; their password hash is not what is measured.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def person(email: str) -> Any:
    from django.utils import timezone

    from modules.identity.infrastructure.models import User

    return User.objects.create_user(email, PASSWORD, email_verified_at=timezone.now())


def account(tenant_id: Any, name: str, opening: str) -> Any:
    from datetime import date

    from modules.accounts.api import OpenAccount, open_account, unit_of_work
    from modules.accounts.domain.accounts import AccountKind
    from modules.shared.application.tenancy import tenant_scope

    with tenant_scope(tenant_id):
        return open_account(
            uow=unit_of_work(),
            command=OpenAccount(
                tenant_id=tenant_id,
                name=name,
                kind=AccountKind.CHECKING,
                currency="EUR",
                opened_on=date(2020, 1, 1),
                opening_balance=opening,
            ),
        )


def rule(
    tenant_id: Any, account_id: Any, index: int, starts_on: Any, frequency: str
) -> None:
    from modules.recurring.application.use_cases import (
        CreateRule,
        ScheduleInput,
        TemplateInput,
        create_rule,
    )
    from modules.recurring.infrastructure.uow import unit_of_work
    from modules.shared.application.tenancy import tenant_scope

    with tenant_scope(tenant_id):
        create_rule(
            uow=unit_of_work(),
            command=CreateRule(
                name=f"Rule {index}",
                template=TemplateInput(
                    kind="inflow" if index % 10 == 0 else "outflow",
                    account_id=account_id,
                    amount=f"{5 + index}.25",
                    payee=f"Payee {index}",
                ),
                schedule=ScheduleInput(
                    frequency=frequency,
                    starts_on=starts_on,
                    day_of_month=-1
                    if frequency == "monthly" and index % 3 == 0
                    else None,
                ),
                is_bill=index % 7 == 0 and index % 10 != 0,
            ),
        )


def measure_forecast() -> dict[str, Any]:
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from rest_framework.test import APIClient

    owner = person("forecast@bench.example")
    today = timezone.now().date()
    accounts = [
        account(owner.tenant_id, f"Account {i}", "5000.00") for i in range(ACCOUNTS)
    ]
    frequencies = ["monthly", "weekly", "monthly", "daily", "yearly"]
    for index in range(RULES):
        rule(
            owner.tenant_id,
            accounts[index % ACCOUNTS].id,
            index,
            today + timedelta(days=1 + index % 20),
            frequencies[index % len(frequencies)],
        )
    client = APIClient(SERVER_NAME="127.0.0.1")  # an allowed host (DEBUG is off)
    token = client.post(
        "/api/v1/sessions", {"email": owner.email, "password": PASSWORD}, format="json"
    ).json()["access"]
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    path = "/api/v1/reports/forecast?days=365"
    assert client.get(path).status_code == 200  # warm
    statements: list[str] = []

    def count(execute: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        client.get(path)
    timings = []
    for _ in range(FORECASTS):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.content
    days = len(response.json()["accounts"][0]["days"])
    return {
        "path": path,
        "accounts": ACCOUNTS,
        "rules": RULES,
        "days_per_account": days,
        "requests": FORECASTS,
        "ms": percentiles(timings),
        "queries": len(statements),
    }


def measure_sweep() -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from modules.recurring.infrastructure.models import Occurrence
    from modules.recurring.infrastructure.sweep import sweep_all
    from modules.transactions.infrastructure.models import Entry

    today = timezone.now().date()
    start = today - timedelta(days=DATES_BEHIND - 1)
    made_at = time.perf_counter()
    for index in range(PEOPLE):
        someone = person(f"sweep{index}@bench.example")
        held = account(someone.tenant_id, "Everyday", "100.00")
        rule(someone.tenant_id, held.id, 1, start, "daily")
    set_up = round(time.perf_counter() - made_at, 1)
    entries_before = Entry.all_tenants.filter(kind="outflow").count()
    started = time.perf_counter()
    first = sweep_all()
    seconds = time.perf_counter() - started
    second = sweep_all()
    return {
        "people": PEOPLE,
        "expected": PEOPLE * DATES_BEHIND,
        "occurrences": Occurrence.all_tenants.count(),
        "recorded": first.recorded,
        "transactions": Entry.all_tenants.filter(kind="outflow").count()
        - entries_before,
        "second_sweep_recorded": second.recorded,
        "seconds": round(seconds, 2),
        "occurrences_per_second": round(first.recorded / seconds, 1)
        if seconds
        else None,
        "set_up_seconds": set_up,
    }


def measure() -> dict[str, Any]:
    setup()
    return {"forecast": measure_forecast(), "sweep": measure_sweep()}


if __name__ == "__main__":
    if sys.argv[1:] != ["measure"]:
        raise SystemExit(__doc__)
    print(json.dumps(measure()))
