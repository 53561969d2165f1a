"""Each fault test runs its own stack and breaks a piece of it.

A module gets a fresh `finance_faults` database on the PostgreSQL server that
DATABASE_URL points at (migrated, with one verified person). Each test then starts its
own `redis-server` on a free port (broker and channel layer; no persistence, so a
restart comes back empty), its own Celery worker with the embedded beat (the 5 s outbox
sweep) and its own Daphne, and stops only those (see stack.py). The machine's shared
PostgreSQL and Redis servers are never stopped or touched, apart from that database.

When a test fails, the tails of its processes' logs are printed with the failure.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import REQUIRED, _missing_service
from tests.faults.stack import (
    EMAIL,
    FAULTS_DATABASE,
    PASSWORD,
    REDIS_SERVER,
    SEED_USER,
    Ledger,
    Stack,
    base_env,
    manage,
)


def _require_fault_services() -> None:
    """The same rule as the `postgres`/`redis` markers, checked before the module's
    database is made (module fixtures run before the per-test marker check)."""
    reasons = [
        reason
        for marker in ("postgres", "redis")
        if (reason := _missing_service(marker))
    ]
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        reasons.append("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if not REDIS_SERVER.exists():
        reasons.append(f"needs {REDIS_SERVER}")
    if reasons:
        message = "; ".join(dict.fromkeys(reasons))
        if REQUIRED:
            pytest.fail(f"REQUIRE_SERVICES=1 but the fault tests {message}")
        pytest.skip(message)


@pytest.fixture(scope="module")
def fault_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated `finance_faults` database with one verified person."""
    _require_fault_services()
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    # Named after the configured database, so two checkouts on one server never collide.
    database = f"{parts.path.strip('/')}_{FAULTS_DATABASE}"

    def recreate(*, create: bool) -> None:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            if create:
                admin.execute(f'CREATE DATABASE "{database}"')

    recreate(create=True)
    database_url = urlunsplit(parts._replace(path=f"/{database}"))
    env = base_env(database_url, tmp_path_factory.mktemp("faults-db"))
    manage(env, "migrate", "--noinput")
    manage(env, "shell", "-c", SEED_USER)
    try:
        yield database_url
    finally:
        recreate(create=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def stack(
    fault_database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Stack]:
    """This test's own Redis, worker and Daphne, started and (at the end) stopped."""
    running = Stack(tmp_path, fault_database)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        report = getattr(request.node, "report_call", None)
        if report is None or report.failed:
            print(running.tails())


@pytest.fixture
def ledger(stack: Stack) -> Ledger:
    api = stack.api()
    access = api.sign_in(EMAIL, PASSWORD)
    opening = "1000.00"
    account = api.request(
        "POST",
        "/api/v1/accounts",
        {
            "name": f"Faults {secrets.token_hex(3)}",
            "kind": "checking",
            "currency": "EUR",
            "opening_balance": opening,
        },
    )
    return Ledger(api=api, access=access, account_id=account["id"], opening=opening)
