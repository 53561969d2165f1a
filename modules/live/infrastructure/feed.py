"""The event feed: what a client missed, read back from the outbox in order."""

from __future__ import annotations

from uuid import UUID

from modules.live.infrastructure.models import OutboxEvent


class UnknownEvent(LookupError):
    """`after` names no event of this tenant."""


def events_after(after: UUID | None, limit: int) -> list[OutboxEvent]:
    """The current tenant's events after `after` (all of them when None), in order."""
    rows = OutboxEvent.objects.order_by("sequence")
    if after is not None:
        start = (
            OutboxEvent.objects.filter(id=after)
            .values_list("sequence", flat=True)
            .first()
        )
        if start is None:
            raise UnknownEvent(str(after))
        rows = rows.filter(sequence__gt=start)
    return list(rows[:limit])
