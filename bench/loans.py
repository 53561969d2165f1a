"""The loan benchmark on the production shape: a 30-year monthly schedule through the
API, p95 <= 20 ms.

1. Fresh database `<prefix>_loans`, migrated; one verified person.
2. bench/stack.py starts the Procfile's web (gunicorn) and worker on it and the
   benchmark's Redis. Over gunicorn's socket the person opens an account, takes out
   a 360-month annuity loan, records 24 payments (one with an extra payment that
   shortens the term) and a rate change, so the schedule is re-planned twice; then
   `GET /api/v1/loans/{id}/schedule` (the whole schedule, one client) and
   `GET /api/v1/loans/{id}` are timed, beside the bare `GET /api/v1/me`.

Every load is bounded in count and time.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench.common import get_plan, idempotency_key, load, manage, request, run_module
from bench.common import sign_in as bearer
from bench.ledger import (
    DATABASE_PREFIX,
    PASSWORD,
    admin,
    flush_redis,
    goal,
    quiet,
    reset_database,
    stack_env,
)
from bench.sizes import size
from bench.stack import Stack

LOANS_DB = f"{DATABASE_PREFIX}_loans"
REQUESTS = size("BENCH_LOAN_REQUESTS", 300, 40)
PAYMENTS = 24
TERM_MONTHS = 360
GOAL_P95_MS = 20
LOAD_BUDGET_S = 60


def _post(web: Any, path: str, body: dict[str, Any], headers: dict[str, str]) -> Any:
    status, text, _ = request(
        web, "POST", path, body, headers={**headers, **idempotency_key()}
    )
    if status != 201:
        raise RuntimeError(f"POST {path} answered {status}: {text[:300]!r}")
    return json.loads(text)


def take_out_loan(web: Any, headers: dict[str, str]) -> dict[str, Any]:
    """A 30-year mortgage, paid for two years, once with an extra, then a new rate."""
    bank = _post(
        web,
        "/api/v1/accounts",
        {
            "name": "Everyday",
            "kind": "checking",
            "currency": "EUR",
            "opening_balance": "100000.00",
        },
        headers,
    )
    loan = _post(
        web,
        "/api/v1/loans",
        {
            "name": "Mortgage",
            "currency": "EUR",
            "principal": "250000.00",
            "annual_rate": "3.75",
            "term_months": TERM_MONTHS,
            "first_payment_on": "2026-01-31",
            "method": "annuity",
            "paid_from": bank["id"],
        },
        headers,
    )
    payments = f"/api/v1/loans/{loan['id']}/payments"
    for number in range(1, PAYMENTS + 1):
        body: dict[str, Any] = {"date": date(2026, 1, 31).isoformat()}
        if number == 12:
            body |= {"extra": "10000.00", "extra_effect": "shorter_term"}
        _post(web, payments, body, headers)
    _post(
        web,
        f"/api/v1/loans/{loan['id']}/rate-changes",
        {"date": "2028-03-01", "annual_rate": "4.25"},
        headers,
    )
    return loan


def check_schedule(web: Any, headers: dict[str, str], loan_id: str) -> dict[str, Any]:
    """The figures the timed requests return: exact, and what was asked for."""
    status, text, _ = request(
        web, "GET", f"/api/v1/loans/{loan_id}/schedule", headers=headers
    )
    if status != 200:
        raise RuntimeError(f"schedule answered {status}: {text[:300]!r}")
    rows = json.loads(text)
    repaid = sum(
        Decimal(row["principal"]["amount"]) + Decimal(row["extra"]["amount"])
        for row in rows
    )
    return {
        "rows": len(rows),
        "bytes": len(text),
        "principal_repaid_exactly": repaid == Decimal("250000.00"),
        "last_balance": rows[-1]["balance_after"]["amount"],
        "paid_rows": sum(1 for row in rows if row["paid"]),
    }


def measures_of(path: str) -> tuple[tuple[str, str], ...]:
    """The schedule, the loan, and the bare `GET /api/v1/me` on the same server: the
    cost of any signed-in request here, to read the others against."""
    return (
        ("GET /api/v1/loans/{id}/schedule", f"{path}/schedule"),
        ("GET /api/v1/loans/{id}", path),
        ("GET /api/v1/me", "/api/v1/me"),
    )


def run(workdir: Path, phase: Callable[..., Any]) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    url = reset_database(LOANS_DB)
    env = stack_env(workdir, url)
    phase(
        "loans_migrate", lambda: manage(quiet(env), "migrate", "--noinput", "-v", "0")
    )
    (person,) = run_module(
        quiet(env), "bench.inprocess", "users", "loans@example.com", timeout=120
    )
    flush_redis()
    results: dict[str, Any] = {}
    with Stack(
        env, workdir / "run-loans", roles=("web", "worker"), label="loans"
    ) as stack:
        web = stack.endpoint("web")
        headers = bearer(web, person["email"], PASSWORD)
        loan = phase("loans_prepare", lambda: take_out_loan(web, headers))
        admin("VACUUM (ANALYZE)", url)
        results["schedule"] = check_schedule(web, headers, loan["id"])
        path = f"/api/v1/loans/{loan['id']}"
        for name, target in measures_of(path):
            results[name] = phase(
                f"loans {name}",
                lambda target=target: load(
                    web,
                    get_plan(target),
                    headers,
                    clients=1,
                    per_client=REQUESTS,
                    budget_s=LOAD_BUDGET_S,
                ),
            )
    flush_redis()
    schedule = results["GET /api/v1/loans/{id}/schedule"]
    checked = results["schedule"]
    complete = (
        schedule["errors"] == 0
        and checked["principal_repaid_exactly"]
        and checked["last_balance"] == "0.00"
    )
    return {
        "inputs": {
            "term_months": TERM_MONTHS,
            "payments_recorded": PAYMENTS,
            "requests": REQUESTS,
            "clients": 1,
        },
        "results": results,
        "goals": {
            "loan_schedule_30_years_p95_1_client": goal(
                f"p95 <= {GOAL_P95_MS} ms (GET schedule, {TERM_MONTHS} months, exact)",
                schedule["p95_ms"],
                (schedule["p95_ms"] <= GOAL_P95_MS) if complete else False,
            )
        },
    }


def print_report(report: dict[str, Any]) -> None:
    results = report["results"]
    checked = results["schedule"]
    print(
        f"\nloans, a {report['inputs']['term_months']}-month schedule: "
        f"{checked['rows']} rows, {checked['bytes']:,} bytes, "
        f"principal repaid exactly: {checked['principal_repaid_exactly']}"
    )
    print(f"{'measure':<52}{'req':>6}{'err':>5}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}")
    for name, _ in measures_of(""):
        row = results[name]
        print(
            f"{name + ' (1 client)':<52}{row['requests']:>6}{row['errors']:>5}"
            f"{row['throughput_rps']:>8}{row['p50_ms']:>9}{row['p95_ms']:>9}"
        )
