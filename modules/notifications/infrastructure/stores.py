"""Django implementation of the notifications store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID

from django.utils import translation

from modules.notifications.domain.rules import Notice
from modules.notifications.infrastructure.models import Notification
from modules.notifications.infrastructure.texts import title_and_body
from modules.shared.application.tenancy import current_tenant_id


class DjangoNotificationStore:
    def __init__(self, locale: Callable[[], str]) -> None:
        self._locale = locale

    def exists_for_event(self, event_id: UUID) -> bool:
        return Notification.objects.filter(source_event_id=event_id).exists()

    def add(self, notification_id: UUID, notice: Notice, source_event_id: UUID) -> str:
        Notification.objects.create(
            id=notification_id,
            tenant_id=current_tenant_id(),
            kind=notice.kind.value,
            params=notice.params,
            source_event_id=source_event_id,
        )
        with translation.override(self._locale()):
            return title_and_body(notice.kind.value, notice.params)[0]

    def set_read(self, notification_id: UUID, *, read_at: datetime | None) -> bool:
        rows = Notification.objects.filter(id=notification_id)
        if not rows.exists():
            return False
        if read_at is None:
            rows.update(read_at=None)
        else:
            rows.filter(read_at__isnull=True).update(read_at=read_at)
        return True

    def mark_all_read(self, *, read_at: datetime) -> int:
        return Notification.objects.filter(read_at__isnull=True).update(read_at=read_at)

    def unread_count(self) -> int:
        return unread_count()


def unread_count() -> int:
    return Notification.objects.filter(read_at__isnull=True).count()
