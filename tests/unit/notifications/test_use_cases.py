"""Notification use cases against in-memory ports: which events notify, at most
once per event, email only when wanted, read marks, without a database."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from contracts.events.models import (
    BalanceUpdated,
    NotificationCreated,
    NotificationsRead,
    TenantCreated,
)
from modules.notifications.application.use_cases import (
    mark_all_read,
    mark_read,
    notify_about,
)
from modules.notifications.domain.rules import Notice
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.notifications import NotificationKind
from tests.unit.fakes import NOW, FakeOutbox, FakeTransaction, FixedClock


@dataclass
class Row:
    notice: Notice
    source_event_id: UUID
    read_at: datetime | None = None


class FakeNotifications:
    """`NotificationStore`: one tenant's notifications in memory."""

    def __init__(self) -> None:
        self.rows: dict[UUID, Row] = {}

    def exists_for_event(self, event_id: UUID) -> bool:
        return any(row.source_event_id == event_id for row in self.rows.values())

    def add(self, notification_id: UUID, notice: Notice, source_event_id: UUID) -> str:
        self.rows[notification_id] = Row(notice, source_event_id)
        return f"{notice.params['account_name']} is overdrawn"

    def set_read(self, notification_id: UUID, *, read_at: datetime | None) -> bool:
        row = self.rows.get(notification_id)
        if row is None:
            return False
        row.read_at = (row.read_at or read_at) if read_at else None
        return True

    def mark_all_read(self, *, read_at: datetime) -> int:
        unread = [row for row in self.rows.values() if row.read_at is None]
        for row in unread:
            row.read_at = read_at
        return len(unread)

    def unread_count(self) -> int:
        return sum(row.read_at is None for row in self.rows.values())


@dataclass
class FakeRecipients:
    emailed_kinds: frozenset[NotificationKind] = frozenset(
        {NotificationKind.ACCOUNT_OVERDRAWN}
    )

    def wants_email(self, kind: NotificationKind) -> bool:
        return kind in self.emailed_kinds

    def locale(self) -> str:
        return "en"


class FakeMailer:
    def __init__(self) -> None:
        self.sent: list[UUID] = []

    def send(self, notification_id: UUID) -> None:
        self.sent.append(notification_id)


class FakeUnitOfWork(FakeTransaction):
    def __init__(self) -> None:
        super().__init__()
        self.notifications = FakeNotifications()
        self.recipients = FakeRecipients()
        self.mailer = FakeMailer()
        self.events = FakeOutbox()
        self.clock = FixedClock()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def balance(previous: str, now: str, **overrides: Any) -> BalanceUpdated:
    values: dict[str, Any] = {
        "account_id": uuid.uuid4(),
        "account_name": "Everyday",
        "transaction_id": uuid.uuid4(),
        "balance": now,
        "previous_balance": previous,
        "currency": "EUR",
        "account_class": "asset",
        **overrides,
    }
    return BalanceUpdated(**values)


# --- Making notifications -----------------------------------------------------------
def test_going_overdrawn_notifies_announces_and_emails(uow: FakeUnitOfWork) -> None:
    event_id = uuid.uuid4()
    notification_id = notify_about(
        uow=uow, event_id=event_id, event=balance("10.00", "-5.00")
    )

    assert notification_id is not None
    row = uow.notifications.rows[notification_id]
    assert row.notice.kind is NotificationKind.ACCOUNT_OVERDRAWN
    assert row.notice.params["balance"] == "-5.00" and row.source_event_id == event_id
    (created,) = uow.events.of_type(NotificationCreated)
    assert created.notification_id == notification_id
    assert (created.title, created.unread_count) == ("Everyday is overdrawn", 1)
    assert uow.mailer.sent == [notification_id]


def test_no_email_unless_the_person_wants_it(uow: FakeUnitOfWork) -> None:
    uow.recipients.emailed_kinds = frozenset()
    notification_id = notify_about(
        uow=uow, event_id=uuid.uuid4(), event=balance("0.00", "-0.01")
    )
    assert notification_id in uow.notifications.rows
    assert uow.mailer.sent == []
    assert len(uow.events.of_type(NotificationCreated)) == 1


def test_an_event_delivered_twice_notifies_once(uow: FakeUnitOfWork) -> None:
    event_id, event = uuid.uuid4(), balance("3.00", "-1.00")
    first = notify_about(uow=uow, event_id=event_id, event=event)
    again = notify_about(uow=uow, event_id=event_id, event=event)

    assert first is not None and again is None
    assert list(uow.notifications.rows) == [first]
    assert uow.mailer.sent == [first]
    assert len(uow.events.events) == 1


@pytest.mark.parametrize(
    "event",
    [
        balance("10.00", "4.00"),  # still in credit
        balance("-4.00", "-9.00"),  # was already overdrawn
        balance("0.00", "-50.00", account_class="liability"),  # not an asset
        TenantCreated(locale="en"),
    ],
)
def test_other_events_notify_no_one(uow: FakeUnitOfWork, event: Any) -> None:
    assert notify_about(uow=uow, event_id=uuid.uuid4(), event=event) is None
    assert uow.notifications.rows == {} and uow.events.events == []
    assert uow.mailer.sent == [] and uow.commits == 0


# --- Read marks ---------------------------------------------------------------------
def notified(uow: FakeUnitOfWork) -> UUID:
    notification_id = notify_about(
        uow=uow, event_id=uuid.uuid4(), event=balance("1.00", "-1.00")
    )
    assert notification_id is not None
    return notification_id


def test_reading_keeps_the_first_moment_and_every_bell_follows(
    uow: FakeUnitOfWork,
) -> None:
    first, second = notified(uow), notified(uow)

    mark_read(uow=uow, notification_id=first, read=True)
    uow.clock.advance(timedelta(hours=1))
    mark_read(uow=uow, notification_id=first, read=True)

    assert uow.notifications.rows[first].read_at == NOW
    assert uow.notifications.rows[second].read_at is None
    counts = [e.unread_count for e in uow.events.of_type(NotificationsRead)]
    assert counts == [1, 1]


def test_marking_unread_again(uow: FakeUnitOfWork) -> None:
    notification_id = notified(uow)
    mark_read(uow=uow, notification_id=notification_id, read=True)
    mark_read(uow=uow, notification_id=notification_id, read=False)
    assert uow.notifications.rows[notification_id].read_at is None
    assert uow.events.of_type(NotificationsRead)[-1].unread_count == 1


def test_another_tenants_notification_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        mark_read(uow=uow, notification_id=uuid.uuid4(), read=True)
    assert uow.events.events == [] and uow.rollbacks == 1


def test_marking_all_read_announces_only_a_change(uow: FakeUnitOfWork) -> None:
    notified(uow), notified(uow)
    uow.events.events.clear()

    assert mark_all_read(uow=uow) == 2
    assert mark_all_read(uow=uow) == 0

    assert all(row.read_at == NOW for row in uow.notifications.rows.values())
    assert [e.unread_count for e in uow.events.of_type(NotificationsRead)] == [0]
