"""What the notifications use cases need from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from modules.live.application.events import EventOutbox
from modules.notifications.domain.rules import Notice
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction
from modules.shared.domain.notifications import NotificationKind


class NotificationStore(Protocol):
    """The current tenant's notifications."""

    def exists_for_event(self, event_id: UUID) -> bool: ...

    def add(self, notification_id: UUID, notice: Notice, source_event_id: UUID) -> str:
        """Save the notification; returns its title in the person's language."""

    def set_read(self, notification_id: UUID, *, read_at: datetime | None) -> bool:
        """Mark read at `read_at` (kept if already read) or, with None, unread again;
        False when the current tenant has no such notification."""

    def mark_all_read(self, *, read_at: datetime) -> int:
        """Mark every unread notification read; returns how many."""

    def unread_count(self) -> int: ...


class Recipients(Protocol):
    """The tenant's people, as the notifications module sees them (identity)."""

    def wants_email(self, kind: NotificationKind) -> bool: ...

    def locale(self) -> str:
        """The language notifications are written in."""


class Mailer(Protocol):
    def send(self, notification_id: UUID) -> None:
        """Email the notification to the tenant's people once the transaction
        commits (nothing if it rolls back)."""


class UnitOfWork(Transaction, Protocol):
    notifications: NotificationStore
    recipients: Recipients
    mailer: Mailer
    events: EventOutbox
    clock: Clock
