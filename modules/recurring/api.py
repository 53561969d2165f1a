"""What other modules may use of recurring. Everything else in `modules.recurring`
is private to it."""

from __future__ import annotations

from datetime import timedelta

from modules.recurring.infrastructure.export import export_sections
from modules.recurring.infrastructure.selectors import (
    OccurrenceView,
    occurrences,
    owner_today,
)
from modules.recurring.infrastructure.sweep import sweep_all


def upcoming(*, days: int = 30, limit: int = 5) -> list[OccurrenceView]:
    """Bills still unpaid from the last `days` days, then the recurring transactions
    and bills of the next `days` days, in date order: what the dashboard lists."""
    today, window = owner_today(), timedelta(days=days)
    found = occurrences(None, start=today - window, end=today + window, today=today)
    return [
        o
        for o in found
        if o.status == "overdue" or (o.status == "upcoming" and o.on >= today)
    ][:limit]


__all__ = ["OccurrenceView", "export_sections", "sweep_all", "upcoming"]
