"""The lean write path and the batch endpoint: statements per write, one event per
account per batch, all or nothing, idempotent, and the answer built from memory."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from modules.live.infrastructure.models import OutboxEvent
from modules.live.infrastructure.tasks import relay_outbox
from modules.transactions.infrastructure.models import Entry
from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape
from tests.integration.ledger.test_ledger_api import (
    balance,
    category_named,
    create_account,
)

pytestmark = pytest.mark.django_db

BATCH = "/api/v1/transactions/batch"


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def spend(account: dict[str, Any], amount: str, **fields: Any) -> dict[str, Any]:
    return {
        "type": "outflow",
        "account": account["id"],
        "amount": amount,
        "date": "2026-11-20",
        **fields,
    }


def write_statements(client: APIClient, body: dict[str, Any], key: str) -> list[str]:
    """The SQL a write runs, savepoints aside."""
    with CaptureQueriesContext(connection) as captured:
        response = client.post(
            "/api/v1/transactions", body, format="json", HTTP_IDEMPOTENCY_KEY=key
        )
    assert response.status_code == 201, response.content
    return [
        q["sql"]
        for q in captured.captured_queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))
    ]


def test_a_write_with_an_idempotency_key_needs_few_statements(
    ana: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    account = create_account(ana, opening_balance="100.00")
    groceries = category_named(ana, "Groceries")
    queued: list[Any] = []  # the broker: the relay runs in a worker, not here
    monkeypatch.setattr(relay_outbox, "apply_async", lambda **kw: queued.append(kw))
    plain = write_statements(ana, spend(account, "1.00"), "plain")
    categorised = write_statements(ana, spend(account, "1.00", category=groceries), "c")
    # sign-in lookup, idempotency lookup, accounts with the category's kind and
    # whether there are entry rules (ADR 0017: none here, so they are not read),
    # entry + postings + monthly totals with the new balances, the events, the
    # idempotency record: 6 on PostgreSQL; 9 on SQLite (entries, postings and
    # totals are three statements there, the events two).
    expected = 6 if connection.vendor == "postgresql" else 9
    assert len(plain) == expected, plain
    assert len(categorised) == expected, categorised
    assert not any(sql.startswith("SELECT SUM") for sql in plain)
    assert len(queued) == 2  # the relay was enqueued once per write, after commit
    assert balance(ana, account) == "98.00"


def test_a_batch_is_recorded_with_one_event_per_account(ana: APIClient) -> None:
    everyday = create_account(ana, opening_balance="100.00")
    savings = create_account(ana, name="Savings", kind="savings", currency="EUR")
    before = OutboxEvent.all_tenants.count()
    body = {
        "transactions": [
            spend(everyday, "10.00"),
            spend(everyday, "2.50", payee="Bakery"),
            {
                "type": "transfer",
                "from_account": everyday["id"],
                "to_account": savings["id"],
                "amount": "50.00",
                "date": "2026-10-02",
            },
        ]
    }
    response = ana.post(BATCH, body, format="json")
    assert response.status_code == 201, response.content
    results = response.json()["results"]
    assert [r["amount"]["amount"] for r in results] == ["10.00", "2.50", "50.00"]
    assert results[1]["payee"] == "Bakery"
    assert balance(ana, everyday) == "37.50"
    assert balance(ana, savings) == "50.00"

    events = list(OutboxEvent.all_tenants.order_by("sequence"))[before:]
    assert [e.type for e in events] == [
        "transactions.recorded",
        "balance.updated",
        "balance.updated",
    ]
    assert events[0].data["transaction_ids"] == [r["id"] for r in results]
    by_account = {e.data["account_id"]: e.data for e in events[1:]}
    assert by_account[everyday["id"]]["previous_balance"] == "100.00"
    assert by_account[everyday["id"]]["balance"] == "37.50"
    assert by_account[savings["id"]]["previous_balance"] == "0.00"


def test_a_batch_with_one_bad_transaction_records_none(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="100.00")
    body = {"transactions": [spend(account, "1.00"), spend(account, "-3.00")]}
    error = assert_error_shape(ana.post(BATCH, body, format="json"), status=400)
    assert [d["field"] for d in error["details"]] == ["transactions[1].amount"]

    wrong_kind = category_named(ana, "Salary")
    body = {
        "transactions": [
            spend(account, "1.00"),
            spend(account, "2.00", category=wrong_kind),
        ]
    }
    error = assert_error_shape(ana.post(BATCH, body, format="json"), status=400)
    assert error["details"][0]["field"] == "transactions[1].category"
    assert error["details"][0]["code"] == "wrong_kind"
    assert Entry.all_tenants.filter(kind="outflow").count() == 0
    assert balance(ana, account) == "100.00"


def test_a_batch_is_between_one_and_500_transactions(ana: APIClient) -> None:
    account = create_account(ana)
    assert_error_shape(ana.post(BATCH, {"transactions": []}, format="json"), status=400)
    many = {"transactions": [spend(account, "1.00")] * 501}
    assert_error_shape(ana.post(BATCH, many, format="json"), status=400)
    assert Entry.all_tenants.filter(kind="outflow").count() == 0


def test_a_batch_sent_twice_with_one_key_is_recorded_once(ana: APIClient) -> None:
    account = create_account(ana, opening_balance="100.00")
    body = {"transactions": [spend(account, "5.00"), spend(account, "6.00")]}
    first = ana.post(BATCH, body, format="json", HTTP_IDEMPOTENCY_KEY="import-1")
    again = ana.post(BATCH, body, format="json", HTTP_IDEMPOTENCY_KEY="import-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert balance(ana, account) == "89.00"

    other = {"transactions": [spend(account, "7.00")]}
    reused = ana.post(BATCH, other, format="json", HTTP_IDEMPOTENCY_KEY="import-1")
    assert reused.status_code == 422
    assert reused.json()["error"]["code"] == "IDEMPOTENCY_KEY_REUSED"
    assert balance(ana, account) == "89.00"


def test_another_persons_account_in_a_batch_is_not_found(
    ana: APIClient, signed_in: Any
) -> None:
    ben = signed_in(UserFactory())
    theirs = create_account(ben, opening_balance="10.00")
    mine = create_account(ana)
    body = {"transactions": [spend(mine, "1.00"), spend(theirs, "1.00")]}
    error = assert_error_shape(ana.post(BATCH, body, format="json"), status=404)
    assert error["details"][0]["field"] == "transactions[1].account"
    assert balance(ben, theirs) == "10.00"


def test_a_retried_reversal_replays_its_first_answer(ana: APIClient) -> None:
    """The key is looked up before the write: a retry of a write whose rules depend
    on what it did (a second reversal is refused) still gets the first answer."""
    account = create_account(ana, opening_balance="100.00")
    spent = ana.post("/api/v1/transactions", spend(account, "4.00"), format="json")
    url = f"/api/v1/transactions/{spent.json()['id']}/reversals"
    first = ana.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="undo-1")
    again = ana.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="undo-1")
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
    assert balance(ana, account) == "100.00"


def test_a_retried_category_creation_replays_its_first_answer(ana: APIClient) -> None:
    body = {"name": "Pets", "kind": "expense"}
    first = ana.post(
        "/api/v1/categories", body, format="json", HTTP_IDEMPOTENCY_KEY="p"
    )
    again = ana.post(
        "/api/v1/categories", body, format="json", HTTP_IDEMPOTENCY_KEY="p"
    )
    assert first.status_code == again.status_code == 201, again.content
    assert again.json() == first.json()
