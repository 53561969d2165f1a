"""Our ledger measured inside one Django process, against the benchmark's database.

    python -m bench.inprocess users EMAIL...
    python -m bench.inprocess queries '<json: the two generated tenants>'
    python -m bench.inprocess balances TENANT_ID ACCOUNT_ID...

`users` creates verified people (the transfer tenants) and prints their tenant ids.
`queries` counts the SQL statements each API request runs, for the small tenant and
the big one (a list that pages and sums in SQL costs the same number of queries
whatever the data), and lists every statement of one `POST /api/v1/transactions`
with an Idempotency-Key. `balances` times reading every balance of a tenant's
accounts through the ledger port, with a kept connection and no HTTP: what
bench/hordak_side.py's `balances` does for django-hordak. Each prints one JSON line.
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

from bench.common import median_ms

PASSWORD = "bench-password-long-enough"
BALANCE_READS = 50
TIMED_REPEAT = 15
# Savepoints are how Django nests atomic blocks; they are not work of their own.
NOT_COUNTED = ("SAVEPOINT", "RELEASE SAVEPOINT")


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


def users(emails: list[str]) -> list[dict[str, str]]:
    from django.utils import timezone

    from modules.identity.infrastructure.models import User

    made = [
        User.objects.create_user(email, PASSWORD, email_verified_at=timezone.now())
        for email in emails
    ]
    return [{"email": u.email, "tenant_id": str(u.tenant_id)} for u in made]


def counted(
    client: Any, method: str, path: str, headers: dict[str, str], body: Any
) -> dict[str, Any]:
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
    statements = [q["sql"] for q in captured.captured_queries]
    return {
        "status": response.status_code,
        "queries": len(statements),
        "queries_without_savepoints": len(_counted(statements)),
        "results": len(payload["results"]) if "results" in payload else None,
        "wall_ms": wall,
        "sql_ms": sum(float(q["time"]) for q in captured.captured_queries) * 1000,
        "sql": statements,
    }


def _counted(statements: list[str]) -> list[str]:
    return [s for s in statements if not s.lstrip().upper().startswith(NOT_COUNTED)]


def timed(
    client: Any, method: str, path: str, headers: dict[str, str], body: Any
) -> dict[str, Any]:
    """The request `TIMED_REPEAT` times in-process, with a kept database connection
    and no HTTP: the medians split its cost between SQL and Python."""
    fresh = method == "POST"
    runs = [
        counted(client, method, path, _keyed(headers, fresh), body)
        for _ in range(TIMED_REPEAT)
    ]
    last = runs[-1]
    last["wall_ms"] = round(statistics.median(run["wall_ms"] for run in runs), 2)
    last["sql_ms"] = round(statistics.median(run["sql_ms"] for run in runs), 2)
    last["python_ms"] = round(last["wall_ms"] - last["sql_ms"], 2)
    return last


def _keyed(headers: dict[str, str], fresh: bool) -> dict[str, str]:
    """A POST as the mobile app sends it: with an Idempotency-Key of its own."""
    if not fresh:
        return headers
    return {**headers, "Idempotency-Key": f"bench-{uuid.uuid4()}"}


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
        counted(client, method, path, _keyed(headers, method == "POST"), body)
        found[name] = timed(client, method, path, headers, body)
    return found


def post_statements(tenant: dict[str, Any]) -> dict[str, Any]:
    """Every SQL statement of one `POST /api/v1/transactions` with an Idempotency-Key
    (after one warm-up POST with another key): counted without SAVEPOINT/RELEASE
    lines; the token's user lookup is one of them."""
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    signed = client.post(
        "/api/v1/sessions",
        data={"email": tenant["email"], "password": PASSWORD},
        content_type="application/json",
    )
    headers = {"Authorization": f"Bearer {signed.json()['access']}"}
    path, body = "/api/v1/transactions", outflow_body(tenant)
    counted(client, "POST", path, _keyed(headers, True), body)  # warm-up
    row = counted(client, "POST", path, _keyed(headers, True), body)
    kept = _counted(row["sql"])
    control = [s for s in kept if s.strip().upper() in ("BEGIN", "COMMIT", "ROLLBACK")]
    auth = [s for s in kept if s.startswith("SELECT") and 'FROM "identity_user"' in s]
    return {
        "request": "POST /api/v1/transactions (outflow with category and payee, "
        "Idempotency-Key), big tenant, PostgreSQL, in-process (django.test.Client, "
        "the whole middleware and DRF stack), after one warm-up POST",
        "status": row["status"],
        "statements": len(kept),
        "savepoint_lines_not_counted": len(row["sql"]) - len(kept),
        "auth_user_lookup_counted": bool(auth),
        "transaction_control_counted": control,
        "auth_user_lookups": len(auth),
        "write_statements": len(kept) - len(control) - len(auth),
        "sql": [s[:600] for s in kept],
    }


def queries(tenants: dict[str, Any]) -> dict[str, Any]:
    small = tenant_queries(tenants["small"])
    big = tenant_queries(tenants["big"])
    return {
        "small": {name: _without_sql(row) for name, row in small.items()},
        "big": {name: _without_sql(row) for name, row in big.items()},
        "constant": all(small[name]["queries"] == big[name]["queries"] for name in big),
        "post_statements": post_statements(tenants["big"]),
    }


def _without_sql(row: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if key != "sql"}


def balances(tenant_id: str, account_ids: list[str]) -> dict[str, Any]:
    from modules.shared.application.tenancy import tenant_scope
    from modules.transactions.infrastructure.stores import raw_balances

    ids = [uuid.UUID(a) for a in account_ids]
    with tenant_scope(uuid.UUID(tenant_id)):
        raw_balances(ids)  # warm-up
        read = median_ms(lambda: raw_balances(ids), BALANCE_READS)
    return {
        "accounts": len(ids),
        "balance_read_ms": read,
        "method": "stores.raw_balances(ids), the port the accounts API reads",
        "reads": BALANCE_READS,
    }


def main() -> None:
    setup()
    command, *rest = sys.argv[1:]
    if command == "users":
        result: Any = users(rest)
    elif command == "queries":
        result = queries(json.loads(rest[0]))
    elif command == "balances":
        result = balances(rest[0], rest[1:])
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
