"""Turning events into notifications: in the app, live, and by email if wanted."""

from __future__ import annotations

import uuid
from uuid import UUID

from contracts.events.models import EventData, NotificationCreated, NotificationsRead
from modules.notifications.application.ports import UnitOfWork
from modules.notifications.domain.rules import notice_for
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.notifications import ALWAYS_EMAILED
from modules.shared.domain.text import gettext_noop


def notify_about(*, uow: UnitOfWork, event_id: UUID, event: EventData) -> UUID | None:
    """At most one notification per event, however often the event is delivered."""
    notice = notice_for(event)
    if notice is None:
        return None
    with uow:
        if uow.notifications.exists_for_event(event_id):
            return None
        notification_id = uuid.uuid4()
        title = uow.notifications.add(notification_id, notice, event_id)
        uow.events.append(
            NotificationCreated(
                notification_id=notification_id,
                kind=notice.kind.value,
                title=title,
                unread_count=uow.notifications.unread_count(),
            )
        )
        if notice.kind in ALWAYS_EMAILED or uow.recipients.wants_email(notice.kind):
            uow.mailer.send(notification_id)
    return notification_id


def mark_read(*, uow: UnitOfWork, notification_id: UUID, read: bool) -> None:
    """Mark one of the current tenant's notifications read (or unread again)."""
    with uow:
        read_at = uow.clock.now() if read else None
        if not uow.notifications.set_read(notification_id, read_at=read_at):
            raise NotFoundError(gettext_noop("No such notification."))
        _announce_count(uow)


def mark_all_read(*, uow: UnitOfWork) -> int:
    with uow:
        changed = uow.notifications.mark_all_read(read_at=uow.clock.now())
        if changed:
            _announce_count(uow)
    return changed


def _announce_count(uow: UnitOfWork) -> None:
    """Every open page's bell follows, not only the one where it was clicked."""
    uow.events.append(NotificationsRead(unread_count=uow.notifications.unread_count()))
