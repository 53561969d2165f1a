"""The outbox: events written with the change, validated, numbered per tenant, relayed
in order with retries and a dead-letter state, and readable as a feed."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from typing import Any

import jsonschema
import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from contracts.events import schemas
from contracts.events.models import TransactionCreated, UnknownEventType, validate_event
from modules.live.api import DeliveredEvent
from modules.live.infrastructure import push, relay
from modules.live.infrastructure.models import OutboxEvent, OutboxStatus
from modules.live.infrastructure.writer import OutboxWriter
from modules.shared.application.tenancy import tenant_scope
from modules.shared.infrastructure.clock import SystemClock
from modules.transactions.infrastructure.models import Entry, MonthlyTotal
from tests.factories import UserFactory
from tests.integration.conftest import assert_error_shape, passed_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def ana(signed_in: Any) -> APIClient:
    return signed_in(UserFactory())


def open_account(client: APIClient, opening: str = "100.00") -> dict[str, Any]:
    body = {"name": "Everyday", "kind": "checking", "currency": "EUR"}
    response = client.post(
        "/api/v1/accounts", {**body, "opening_balance": opening}, format="json"
    )
    assert response.status_code == 201, response.content
    return response.json()


def spend(client: APIClient, account: dict[str, Any], amount: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/transactions",
        {
            "type": "outflow",
            "account": account["id"],
            "amount": amount,
            "date": "2026-11-20",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()


def events_of(tenant_id: Any) -> list[OutboxEvent]:
    return list(
        OutboxEvent.all_tenants.filter(tenant_id=tenant_id).order_by("sequence")
    )


def tenant_of(client: APIClient) -> Any:
    return client.get("/api/v1/me").json()["tenant"]


def test_a_transaction_writes_its_events_in_the_same_commit(ana: APIClient) -> None:
    account = open_account(ana)
    entry = spend(ana, account, "30.25")

    events = events_of(tenant_of(ana))
    assert [e.type for e in events] == [
        "tenant.created",  # sign-up
        "transaction.created",  # the opening balance
        "balance.updated",
        "transaction.created",
        "balance.updated",
    ]
    assert [e.sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[0].data == {"locale": "en"}
    created, updated = events[3], events[4]
    assert created.data["transaction_id"] == entry["id"]
    assert created.data["kind"] == "outflow"
    assert {p["amount"] for p in created.data["postings"]} == {"-30.25", "30.25"}
    assert updated.data == {
        "account_id": account["id"],
        "account_name": "Everyday",
        "transaction_id": entry["id"],
        "balance": "69.75",
        "previous_balance": "100.00",
        "currency": "EUR",
        "account_class": "asset",
    }
    assert (
        ana.get(f"/api/v1/accounts/{account['id']}").json()["balance"]["amount"]
        == (updated.data["balance"])
    )
    assert all(e.status == OutboxStatus.PUBLISHED for e in events)
    assert all(e.correlation_id for e in events[1:])  # the factory has no request


def test_a_refused_write_leaves_no_event(ana: APIClient) -> None:
    account = open_account(ana)
    before = len(events_of(tenant_of(ana)))
    response = ana.post(
        "/api/v1/transactions",
        {
            "type": "outflow",
            "account": account["id"],
            "amount": "1.001",
            "date": "2026-11-20",
        },
        format="json",
    )
    assert response.status_code == 400
    assert len(events_of(tenant_of(ana))) == before


def test_events_and_the_transaction_commit_or_roll_back_together(
    ana: APIClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure while the events are written undoes the entry and its totals."""
    account = open_account(ana)
    before = len(events_of(tenant_of(ana)))
    totals_before = list(
        MonthlyTotal.all_tenants.values_list("amount_minor", flat=True)
    )

    def unavailable(*args: Any) -> Any:
        raise RuntimeError("outbox write failed")

    monkeypatch.setattr(OutboxWriter, "append_all", unavailable)
    ana.raise_request_exception = False
    response = ana.post(
        "/api/v1/transactions",
        {
            "type": "outflow",
            "account": account["id"],
            "amount": "1.00",
            "date": "2026-11-20",
        },
        format="json",
    )
    assert response.status_code == 500
    assert len(events_of(tenant_of(ana))) == before
    assert Entry.all_tenants.filter(kind="outflow").count() == 0
    assert (
        list(MonthlyTotal.all_tenants.values_list("amount_minor", flat=True))
        == totals_before
    )


def test_a_liability_balance_reads_as_what_is_owed(ana: APIClient) -> None:
    card = ana.post(
        "/api/v1/accounts",
        {"name": "Card", "kind": "credit_card", "currency": "EUR"},
        format="json",
    ).json()
    spend(ana, card, "12.00")
    updated = events_of(tenant_of(ana))[-1]
    assert updated.data["account_class"] == "liability"
    assert (updated.data["previous_balance"], updated.data["balance"]) == (
        "0.00",
        "12.00",
    )
    api_balance = ana.get(f"/api/v1/accounts/{card['id']}").json()["balance"]["amount"]
    assert api_balance == "12.00"


def test_events_are_validated_on_write(member: Any) -> None:
    with pytest.raises(UnknownEventType):
        validate_event("account.exploded", {})
    with pytest.raises(ValueError, match="postings"):
        validate_event(
            "transaction.created",
            {
                "transaction_id": "3a7d1c0e-5b6f-4e2a-9c8d-7f6e5d4c3b2a",
                "kind": "outflow",
                "occurred_on": "2026-11-20",
                "payee": "",
                "description": "",
                "reverses": None,
                "postings": [],
            },
        )
    with pytest.raises(ValueError, match="transaction_id"):
        TransactionCreated.model_validate({"transaction_id": "nope"})


def test_exported_schemas_are_current_and_describe_real_events(ana: APIClient) -> None:
    assert schemas.stale_files() == []
    account = open_account(ana)
    spend(ana, account, "200.00")  # overdraws: a notification too
    events = events_of(tenant_of(ana))
    assert {e.type for e in events} == {
        "tenant.created",
        "transaction.created",
        "balance.updated",
        "notification.created",
    }
    for event in events:
        schema = json.loads((schemas.HERE / f"{event.type}.schema.json").read_text())
        jsonschema.validate(json.loads(json.dumps(event.envelope())), schema)


def test_sequences_are_per_tenant(signed_in: Any) -> None:
    ana, ben = signed_in(UserFactory()), signed_in(UserFactory())
    open_account(ana)
    open_account(ben)
    assert [e.sequence for e in events_of(tenant_of(ana))] == [1, 2, 3]
    assert [e.sequence for e in events_of(tenant_of(ben))] == [1, 2, 3]


# --- Feed ------------------------------------------------------------------------


def test_the_feed_returns_events_after_an_id_in_order(ana: APIClient) -> None:
    account = open_account(ana)
    for amount in ("1.00", "2.00", "3.00"):
        spend(ana, account, amount)
    everything = ana.get("/api/v1/events").json()
    assert not everything["has_more"]
    ids = [e["id"] for e in everything["results"]]
    assert len(ids) == 9  # sign-up, opening balance (2), three spends (2 each)

    first_page = ana.get("/api/v1/events?limit=3").json()
    assert [e["id"] for e in first_page["results"]] == ids[:3]
    assert first_page["has_more"] is True
    rest = ana.get(f"/api/v1/events?after={ids[2]}&limit=100").json()
    assert [e["id"] for e in rest["results"]] == ids[3:]
    assert set(rest["results"][0]) == {"id", "sequence", "type", "occurred_at", "data"}
    assert [e["sequence"] for e in everything["results"]] == list(range(1, 10))


def test_the_feed_never_shows_another_tenants_events(signed_in: Any) -> None:
    ana, ben = signed_in(UserFactory()), signed_in(UserFactory())
    open_account(ana)
    ana_event = ana.get("/api/v1/events").json()["results"][-1]["id"]
    assert [e["type"] for e in ben.get("/api/v1/events").json()["results"]] == [
        "tenant.created"
    ]
    error = assert_error_shape(ben.get(f"/api/v1/events?after={ana_event}"), status=400)
    assert error["details"][0]["field"] == "after"


def test_the_feed_needs_a_signed_in_person(api: APIClient) -> None:
    assert_error_shape(api.get("/api/v1/events"), status=401)


# --- Relay -------------------------------------------------------------------------


def pending_event_data() -> dict[str, Any]:
    line = {"account_id": None, "counterpart": "income", "category_id": None}
    return {
        "transaction_id": "3a7d1c0e-5b6f-4e2a-9c8d-7f6e5d4c3b2a",
        "kind": "inflow",
        "occurred_on": "2026-11-20",
        "payee": "",
        "description": "",
        "reverses": None,
        "postings": [
            {**line, "amount": "-1.00", "currency": "EUR"},
            {**line, "amount": "1.00", "currency": "EUR"},
        ],
    }


def pending_event(tenant_id: Any) -> OutboxEvent:
    """Appended inside the test's transaction: its relay would only run on commit."""
    with tenant_scope(tenant_id):
        data = TransactionCreated.model_validate(pending_event_data())
        event_id = OutboxWriter(SystemClock()).append(data)
    return OutboxEvent.all_tenants.get(id=event_id)


def test_an_unreachable_channel_layer_spends_no_attempt(
    member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = pending_event(member.tenant_id)

    def away(tenant_id: Any, envelopes: list[Any]) -> push.PushResult:
        return push.PushResult(sent=0, error=ConnectionError("redis is away"))

    monkeypatch.setattr(push, "push_events", away)
    for _ in range(relay.MAX_ATTEMPTS + 2):
        OutboxEvent.all_tenants.filter(id=event.id).update(
            next_attempt_at=timezone.now()
        )
        assert relay.publish_pending([member.tenant_id]) == 0
    event.refresh_from_db()
    assert (event.status, event.attempts) == (OutboxStatus.PENDING, 0)
    assert event.last_error == "ConnectionError: redis is away"
    assert event.next_attempt_at > timezone.now()

    monkeypatch.undo()
    OutboxEvent.all_tenants.filter(id=event.id).update(next_attempt_at=timezone.now())
    assert relay.publish_pending() == 1
    event.refresh_from_db()
    assert event.status == OutboxStatus.PUBLISHED


def test_a_failing_consumer_backs_off_then_dead_letters(
    member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = pending_event(member.tenant_id)

    def broken(event: DeliveredEvent) -> None:
        raise RuntimeError("cannot handle this one")

    monkeypatch.setitem(relay._consumers, "broken", broken)
    assert relay.publish_pending([member.tenant_id]) == 0
    event.refresh_from_db()
    assert (event.status, event.attempts) == (OutboxStatus.PENDING, 1)
    assert event.last_error == "RuntimeError: cannot handle this one"
    assert event.next_attempt_at > timezone.now()

    # Not due yet: nothing is tried.
    assert relay.publish_pending() == 0
    event.refresh_from_db()
    assert event.attempts == 1

    for attempt in range(2, relay.MAX_ATTEMPTS + 1):
        OutboxEvent.all_tenants.filter(id=event.id).update(
            next_attempt_at=timezone.now()
        )
        relay.publish_pending()
        event.refresh_from_db()
        assert event.attempts == attempt
    assert event.status == OutboxStatus.DEAD

    monkeypatch.delitem(relay._consumers, "broken")
    assert relay.resend([event.id]) == 1
    assert relay.publish_pending() == 1
    event.refresh_from_db()
    assert (event.status, event.attempts) == (OutboxStatus.PUBLISHED, 0)


def test_backoff_doubles_up_to_a_cap() -> None:
    assert [relay.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert relay.backoff(30) == timedelta(seconds=relay.BACKOFF_CAP_SECONDS)


def test_a_failing_consumer_holds_back_later_events_of_that_tenant(
    member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = pending_event(member.tenant_id), pending_event(member.tenant_id)
    calls: list[int] = []

    sequences = {first.id: first.sequence, second.id: second.sequence}

    def flaky(event: DeliveredEvent) -> None:
        calls.append(sequences[event.id])
        if len(calls) == 1:
            raise RuntimeError("boom")

    monkeypatch.setitem(relay._consumers, "flaky", flaky)
    assert relay.publish_pending([member.tenant_id]) == 0
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.attempts == 1 and second.attempts == 0
    assert second.status == OutboxStatus.PENDING

    OutboxEvent.all_tenants.filter(id=first.id).update(next_attempt_at=timezone.now())
    assert relay.publish_pending([member.tenant_id]) == 2
    assert calls == [first.sequence, first.sequence, second.sequence]


def test_published_events_reach_the_tenants_group(
    member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pushed: list[tuple[Any, list[str]]] = []

    def record(tenant_id: Any, envelopes: list[dict[str, Any]]) -> push.PushResult:
        pushed.append((tenant_id, [e["id"] for e in envelopes]))
        return push.PushResult(sent=len(envelopes))

    monkeypatch.setattr(push, "push_events", record)
    event = pending_event(member.tenant_id)
    relay.publish_pending()
    assert pushed == [(member.tenant_id, [str(event.id)])]
    assert relay.publish_pending() == 0  # published once


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_relays_publish_each_event_once_and_in_order(
    member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six relays at once (SKIP LOCKED, and only an unbroken run of pending events
    is published: concurrent scans can lock interleaved rows)."""
    after = OutboxEvent.all_tenants.filter(tenant_id=member.tenant_id).count()
    events = OutboxEvent.all_tenants.bulk_create(
        OutboxEvent(
            tenant_id=member.tenant_id,
            sequence=sequence,
            type="transaction.created",
            data=pending_event_data(),
        )
        for sequence in range(after + 1, after + 241)
    )
    seen: list[int] = []
    lock = threading.Lock()

    def record(tenant_id: Any, envelopes: list[dict[str, Any]]) -> push.PushResult:
        with lock:
            seen.extend(
                OutboxEvent.all_tenants.get(id=e["id"]).sequence for e in envelopes
            )
        return push.PushResult(sent=len(envelopes))

    monkeypatch.setattr(push, "push_events", record)
    monkeypatch.setattr(relay, "BATCH_SIZE", 5)

    def run_relay() -> None:
        try:
            for _ in range(10):
                relay.publish_pending()
        finally:
            connection.close()

    threads = [threading.Thread(target=run_relay) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert seen == sorted(e.sequence for e in events)
    assert not OutboxEvent.all_tenants.filter(status=OutboxStatus.PENDING).exists()


# --- Admin --------------------------------------------------------------------------


def test_dead_letters_are_visible_and_sent_again_from_the_admin(
    client: Any, member: Any
) -> None:
    from modules.identity.infrastructure.models import User

    User.objects.create_superuser("root@example.com", "a-long-admin-passphrase-1")
    client.post(
        "/admin/login/",
        {"username": "root@example.com", "password": "a-long-admin-passphrase-1"},
    )
    passed_second_factor(client)
    event = pending_event(member.tenant_id)
    OutboxEvent.all_tenants.filter(id=event.id).update(
        status=OutboxStatus.DEAD, attempts=10, last_error="ConnectionError: away"
    )

    listing = client.get("/admin/live/outboxevent/?status__exact=dead")
    assert listing.status_code == 200
    assert "transaction.created" in listing.content.decode()
    detail = client.get(f"/admin/live/outboxevent/{event.id}/change/")
    assert "ConnectionError: away" in detail.content.decode()

    response = client.post(
        "/admin/live/outboxevent/",
        {"action": "send_again", "_selected_action": [str(event.id)]},
        follow=True,
    )
    assert "1 event queued to be sent again." in response.content.decode()
    event.refresh_from_db()
    assert event.status == OutboxStatus.PUBLISHED
    assert event.attempts == 0
