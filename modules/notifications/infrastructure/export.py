"""The person's notifications, for their export."""

from __future__ import annotations

from modules.notifications.infrastructure.models import Notification
from modules.shared.application.exports import ExportSection
from modules.shared.infrastructure.exports import model_section

COLUMNS = ("id", "kind", "params", "created_at", "read_at", "emailed_at")


def export_sections() -> list[ExportSection]:
    return [
        model_section(
            "notifications", Notification.objects.order_by("created_at", "id"), COLUMNS
        )
    ]
