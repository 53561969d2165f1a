"""The notifications module's outbox consumer."""

from __future__ import annotations

from modules.notifications.application.use_cases import notify_about
from modules.shared.application.tenancy import tenant_scope
from modules.shared.infrastructure.models import OutboxEvent


def notify(event: OutboxEvent) -> None:
    from config.composition import notifications_uow

    with tenant_scope(event.tenant_id):
        notify_about(
            uow=notifications_uow(),
            event_id=event.id,
            event_type=event.type,
            data=event.data,
        )
