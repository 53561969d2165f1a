"""What other modules may use of live updates: write events, react to them, close
a person's sockets. Everything else in `modules.live` is private to it."""

from modules.live.application.events import DeliveredEvent, EventOutbox
from modules.live.infrastructure.models import OutboxEvent
from modules.live.infrastructure.push import close_user_sockets
from modules.live.infrastructure.relay import register_consumer
from modules.live.infrastructure.retention import purge_outbox_events
from modules.live.infrastructure.writer import OutboxWriter

__all__ = [
    "DeliveredEvent",
    "EventOutbox",
    "OutboxEvent",
    "OutboxWriter",
    "close_user_sockets",
    "purge_outbox_events",
    "register_consumer",
]
