"""Our ledger measured inside one Django process, against the benchmark's database.

    python -m bench.inprocess queries '<json: the two generated tenants>'
    python -m bench.inprocess transfers 10000 BUDGET_SECONDS

`queries` counts the SQL statements each API request runs, for a small tenant and for
the 100,000-transaction one: a list that pages and sums in SQL costs the same number
of queries whatever the data. `transfers` records transfers one by one through the
public use case, then reads every balance: the same work bench/hordak_side.py gives
django-hordak. Each prints one JSON line.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from typing import Any

from bench.common import (
    TRANSFER_ACCOUNT_NAMES,
    cpu_ms_per,
    cpu_seconds,
    median_ms,
    run_within,
    transfer_plan,
)

PASSWORD = "bench-password-long-enough"
BALANCE_READS = 50
TIMED_REPEAT = 15


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def read_paths(tenant: dict[str, Any]) -> dict[str, str]:
    """The two read endpoints of the goal, with this tenant's busiest expense category
    over the last year of its data."""
    last = date.fromisoformat(tenant["last_date"])
    first = last - timedelta(days=364)
    category = tenant["busy_category"]["id"]
    return {
        "GET /api/v1/accounts": "/api/v1/accounts",
        "GET /api/v1/transactions": (
            f"/api/v1/transactions?limit=50&category={category}"
            f"&date_from={first.isoformat()}&date_to={last.isoformat()}"
        ),
    }


def outflow_body(tenant: dict[str, Any]) -> dict[str, str]:
    return {
        "type": "outflow",
        "account": tenant["accounts"]["card"],
        "amount": "12.50",
        "date": tenant["last_date"],
        "category": tenant["busy_category"]["id"],
        "payee": "Corner Market",
    }


def counted(
    client: Any, method: str, path: str, headers: dict[str, str], body: Any
) -> Any:
    """One request through the whole middleware and DRF stack, its SQL captured
    with the time the database took for each statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        if method == "POST":
            response = client.post(
                path, data=body, content_type="application/json", headers=headers
            )
        else:
            response = client.get(path, headers=headers)
        wall = (time.perf_counter() - started) * 1000
    payload = response.json()
    return {
        "status": response.status_code,
        "queries": len(captured),
        "results": len(payload["results"]) if "results" in payload else None,
        "wall_ms": wall,
        "sql_ms": sum(float(query["time"]) for query in captured.captured_queries)
        * 1000,
        "sql": [query["sql"][:300] for query in captured.captured_queries],
    }


def timed(
    client: Any, method: str, path: str, headers: dict[str, str], body: Any
) -> dict[str, Any]:
    """The request `TIMED_REPEAT` times in-process, with a kept database connection
    and no HTTP: the medians split its cost between SQL and Python."""
    runs = [counted(client, method, path, headers, body) for _ in range(TIMED_REPEAT)]
    last = runs[-1]
    last["wall_ms"] = round(statistics.median(run["wall_ms"] for run in runs), 2)
    last["sql_ms"] = round(statistics.median(run["sql_ms"] for run in runs), 2)
    last["python_ms"] = round(last["wall_ms"] - last["sql_ms"], 2)
    return last  # type: ignore[no-any-return]


def tenant_queries(tenant: dict[str, Any]) -> dict[str, Any]:
    """Each request once to warm caches and the connection, then timed and counted."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    signed = client.post(
        "/api/v1/sessions",
        data={"email": tenant["email"], "password": PASSWORD},
        content_type="application/json",
    )
    headers = {"Authorization": f"Bearer {signed.json()['access']}"}
    requests = {"GET /api/v1/me": ("GET", "/api/v1/me", None)}
    requests.update(
        {name: ("GET", path, None) for name, path in read_paths(tenant).items()}
    )
    requests["POST /api/v1/transactions"] = (
        "POST",
        "/api/v1/transactions",
        outflow_body(tenant),
    )
    found = {}
    for name, (method, path, body) in requests.items():
        counted(client, method, path, headers, body)  # warm-up
        found[name] = timed(client, method, path, headers, body)
    return found


def queries(tenants: dict[str, Any]) -> dict[str, Any]:
    small = tenant_queries(tenants["small"])
    big = tenant_queries(tenants["big"])
    return {
        "small": {name: _without_sql(row) for name, row in small.items()},
        "big": {name: _without_sql(row) for name, row in big.items()},
        "constant": all(small[name]["queries"] == big[name]["queries"] for name in big),
        "sql_big": {name: row["sql"] for name, row in big.items()},
    }


def _without_sql(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key != "sql"}


def open_accounts(tenant_id: uuid.UUID) -> list[uuid.UUID]:
    """Four asset accounts through the real use case, so balances read the same sign
    as django-hordak's asset accounts."""
    from modules.accounts.api import unit_of_work as accounts_uow
    from modules.accounts.application.use_cases import OpenAccount, open_account
    from modules.accounts.domain.accounts import AccountKind

    kinds = [
        AccountKind.CHECKING,
        AccountKind.SAVINGS,
        AccountKind.CASH,
        AccountKind.INVESTMENT,
    ]
    return [
        open_account(
            uow=accounts_uow(),
            command=OpenAccount(
                tenant_id=tenant_id,
                name=name,
                kind=kind,
                currency="USD",
                opened_on=date(2025, 1, 1),
            ),
        ).id
        for name, kind in zip(TRANSFER_ACCOUNT_NAMES, kinds, strict=True)
    ]


def post_transfers(
    ids: list[uuid.UUID], count: int, budget_s: float
) -> tuple[int, float]:
    """One `record_transaction` per transfer, each its own database transaction, as
    the API records them. Returns (transfers done, seconds)."""
    from modules.transactions.api import unit_of_work as ledger_uow
    from modules.transactions.application.use_cases import (
        RecordTransfer,
        record_transaction,
    )

    def post(step: tuple[int, int, str, date]) -> None:
        source, target, amount, on = step
        record_transaction(
            uow=ledger_uow(),
            command=RecordTransfer(
                from_account_id=ids[source],
                to_account_id=ids[target],
                amount=amount,
                on=on,
            ),
        )

    return run_within(transfer_plan(count), post, budget_s)


def transfers(count: int, budget_s: float) -> dict[str, Any]:
    from django.db import connection
    from django.utils import timezone

    from modules.identity.infrastructure.models import User
    from modules.shared.application.tenancy import tenant_scope
    from modules.shared.domain.money import Money
    from modules.transactions.infrastructure.stores import raw_balances

    email = f"transfers-{uuid.uuid4().hex[:8]}@example.com"
    user = User.objects.create_user(email, PASSWORD, email_verified_at=timezone.now())
    with tenant_scope(user.tenant_id):
        ids = open_accounts(user.tenant_id)
        before = cpu_seconds(connection)
        done, seconds = post_transfers(ids, count, budget_s)
        cpu = cpu_ms_per(before, cpu_seconds(connection), done)
        started = time.perf_counter()
        balances = raw_balances(ids)
        first_read = (time.perf_counter() - started) * 1000
        read = median_ms(lambda: raw_balances(ids), BALANCE_READS)
    return {
        "library": "finance (this project)",
        "database": connection.settings_dict["NAME"],
        "transfers": done,
        "budget_s": budget_s,
        "seconds": round(seconds, 2),
        "transfers_per_s": round(done / seconds, 1),
        "cpu_ms_per_transfer": cpu,
        "balance_read_first_ms": round(first_read, 3),
        "balance_read_ms": read,
        "balance_read_method": "stores.raw_balances(ids): one grouped SUM",
        "accounts": len(ids),
        "balances": {
            name: str(Money.from_minor(balances.get(account_id, 0), "USD").amount)
            for name, account_id in zip(TRANSFER_ACCOUNT_NAMES, ids, strict=True)
        },
    }


def main() -> None:
    setup()
    command, argument, *rest = sys.argv[1:]
    if command == "queries":
        result = queries(json.loads(argument))
    elif command == "transfers":
        result = transfers(int(argument), float(rest[0]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
