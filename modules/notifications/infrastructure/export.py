"""The person's notifications, for their export."""

from __future__ import annotations

from collections.abc import Iterator

from modules.notifications.infrastructure.models import Notification
from modules.shared.application.exports import ExportSection, Row

COLUMNS = ("id", "kind", "params", "created_at", "read_at", "emailed_at")


def export_sections() -> list[ExportSection]:
    notifications = Notification.objects.order_by("created_at", "id")

    def rows() -> Iterator[Row]:
        yield from notifications.values(*COLUMNS).iterator(chunk_size=2000)

    return [
        ExportSection(
            name="notifications", columns=COLUMNS, rows=rows, count=notifications.count
        )
    ]
