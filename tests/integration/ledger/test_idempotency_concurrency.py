"""Twenty identical requests at once, with one `Idempotency-Key`, make one
transaction: on PostgreSQL (the CI's second run) and on SQLite, where writers queue
behind BEGIN IMMEDIATE.

Django's SQLite test database lives in memory with a shared cache, where a second
writer fails at once with "database table is locked" instead of waiting out the busy
timeout. Production runs SQLite on a file, so on SQLite this test copies the test
database to a file and points the threads' connections at it.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from rest_framework.test import APIClient

from modules.shared.application.tenancy import tenant_scope
from modules.shared.infrastructure.models import IdempotencyRecord
from modules.transactions.infrastructure.models import Entry, Posting
from tests.factories import PASSWORD, UserFactory

CLIENTS = 20


@contextmanager
def threads_on_a_database_file(directory: Path) -> Iterator[None]:
    """Connections opened inside the block (new threads') use a file copy of the
    in-memory SQLite test database; elsewhere, nothing changes."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    copy = directory / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    original = connection.settings_dict["NAME"]
    connection.settings_dict["NAME"] = str(copy)
    try:
        yield
    finally:
        connection.settings_dict["NAME"] = original


def in_own_thread[T](work: Callable[[], T]) -> T:
    """Run `work` on a fresh thread and database connection, closed afterwards."""

    def run() -> T:
        try:
            return work()
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_create_one_transaction(tmp_path: Path) -> None:
    member = UserFactory()
    client = APIClient()
    session = client.post(
        "/api/v1/sessions", {"email": member.email, "password": PASSWORD}, format="json"
    )
    assert session.status_code == 201, session.content
    bearer = f"Bearer {session.json()['access']}"
    client.credentials(HTTP_AUTHORIZATION=bearer)
    created = client.post(
        "/api/v1/accounts",
        {"name": "Everyday", "kind": "checking", "currency": "EUR"},
        format="json",
    )
    assert created.status_code == 201, created.content
    account = created.json()["id"]
    body = {
        "type": "outflow",
        "account": account,
        "amount": "12.34",
        "date": "2026-11-20",
        "payee": "Bakery",
    }
    start = threading.Barrier(CLIENTS)

    def post(_: int) -> tuple[int, Any, bool]:
        try:
            own = APIClient()
            own.credentials(HTTP_AUTHORIZATION=bearer)
            start.wait(timeout=30)
            response = own.post(
                "/api/v1/transactions",
                body,
                format="json",
                HTTP_IDEMPOTENCY_KEY="pay-the-bakery-once",
            )
            return (
                response.status_code,
                response.json(),
                response.headers.get("Idempotent-Replayed") == "true",
            )
        finally:
            connection.close()

    def stored() -> tuple[list[uuid.UUID], int, int, Any]:
        with tenant_scope(member.tenant_id):
            balance = client.get(f"/api/v1/accounts/{account}").json()["balance"]
            return (
                list(Entry.objects.values_list("id", flat=True)),
                Posting.objects.filter(account_id=account).count(),
                IdempotencyRecord.objects.count(),
                balance,
            )

    with threads_on_a_database_file(tmp_path):
        with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
            results = list(pool.map(post, range(CLIENTS)))
        entries, postings, records, balance = in_own_thread(stored)

    assert [status for status, _, _ in results] == [201] * CLIENTS, results
    first = results[0][1]
    assert all(answer == first for _, answer, _ in results)
    assert first["amount"] == {"amount": "12.34", "currency": "EUR"}
    assert first["payee"] == "Bakery"
    assert sum(replayed for _, _, replayed in results) == CLIENTS - 1
    assert entries == [uuid.UUID(first["id"])]
    assert (postings, records) == (1, 1)
    assert balance == {"amount": "-12.34", "currency": "EUR"}
