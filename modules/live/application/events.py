"""The port through which a use case publishes what happened, and the shape in
which other modules receive it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from contracts.events.models import EventData


class EventOutbox(Protocol):
    def append(self, event: EventData) -> UUID:
        """Write `event` for the current tenant in the current transaction."""

    def append_all(self, events: Sequence[EventData]) -> list[UUID]:
        """Write these events, in order, with one statement where the database can.

        Writing takes the tenant's stream lock until commit, so the tenant's events
        are numbered in the order their transactions commit.
        """


@dataclass(frozen=True, kw_only=True)
class DeliveredEvent:
    """An event as its consumers receive it: its data parsed by its contract model."""

    id: UUID
    tenant_id: UUID
    data: EventData
