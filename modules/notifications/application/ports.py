"""What the notifications use cases need from the outside world."""

from __future__ import annotations

from typing import Protocol
from uuid import UUID

from modules.live.application.events import EventOutbox
from modules.notifications.domain.rules import Notice
from modules.shared.domain.notifications import NotificationKind


class NotificationStore(Protocol):
    def exists_for_event(self, event_id: UUID) -> bool: ...

    def add(self, notification_id: UUID, notice: Notice, source_event_id: UUID) -> str:
        """Save the notification; returns its title in the person's language."""

    def unread_count(self) -> int: ...


class ReadMarks(Protocol):
    def set_read(self, notification_id: UUID, *, read: bool) -> bool:
        """False when the current tenant has no such notification."""

    def mark_all_read(self) -> int: ...

    def unread_count(self) -> int: ...


class ReadUnitOfWork(Protocol):
    marks: ReadMarks
    events: EventOutbox

    def __enter__(self) -> ReadUnitOfWork: ...

    def __exit__(self, *args: object) -> None: ...


class Recipients(Protocol):
    """The tenant's people, as the notifications module sees them (identity)."""

    def wants_email(self, kind: NotificationKind) -> bool: ...

    def locale(self) -> str:
        """The language notifications are written in."""


class Mailer(Protocol):
    def send_later(self, notification_id: UUID) -> None:
        """Queue the email once the transaction commits."""


class UnitOfWork(Protocol):
    notifications: NotificationStore
    recipients: Recipients
    mail: Mailer
    events: EventOutbox

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *args: object) -> None: ...
