"""The notifications module's outbox consumer."""

from __future__ import annotations

from modules.live.api import DeliveredEvent
from modules.notifications.application.use_cases import notify_about
from modules.notifications.infrastructure.uow import unit_of_work


def notify(event: DeliveredEvent) -> None:
    notify_about(uow=unit_of_work(), event_id=event.id, event=event.data)
