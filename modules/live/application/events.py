"""The port through which a use case publishes what happened, and the shape in
which other modules receive it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from contracts.events.models import EventData


class EventOutbox(Protocol):
    def append(self, event: EventData) -> UUID:
        """Write `event` for the current tenant in the current transaction.

        The first append of a transaction takes the tenant's stream lock: anything the
        use case reads after it (a balance) is read in the stream's order.
        """


@dataclass(frozen=True, kw_only=True)
class DeliveredEvent:
    """An event as its consumers receive it: its data parsed by its contract model."""

    id: UUID
    tenant_id: UUID
    data: EventData
