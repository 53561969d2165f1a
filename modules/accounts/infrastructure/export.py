"""The accounts a person has and the exchange rates they entered, for their export."""

from __future__ import annotations

from modules.accounts.infrastructure.models import Account, ExchangeRate
from modules.shared.application.exports import ExportSection
from modules.shared.infrastructure.exports import model_section

COLUMNS = (
    "id",
    "name",
    "kind",
    "currency",
    "institution",
    "notes",
    "archived_at",
    "created_at",
)
RATE_COLUMNS = ("id", "base", "quote", "day", "rate", "created_at")


def export_sections() -> list[ExportSection]:
    return [
        model_section(
            "accounts", Account.objects.order_by("created_at", "id"), COLUMNS
        ),
        model_section(
            "exchange_rates",
            ExchangeRate.objects.order_by("day", "base", "quote"),
            RATE_COLUMNS,
        ),
    ]
