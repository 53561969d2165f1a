"""The accounts a person has and the exchange rates they entered, for their export."""

from __future__ import annotations

from collections.abc import Iterator

from modules.accounts.infrastructure.models import Account, ExchangeRate
from modules.shared.application.exports import ExportSection, Row

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
    accounts = Account.objects.order_by("created_at", "id")
    rates = ExchangeRate.objects.order_by("day", "base", "quote")

    def rows() -> Iterator[Row]:
        yield from accounts.values(*COLUMNS).iterator(chunk_size=2000)

    def rate_rows() -> Iterator[Row]:
        yield from rates.values(*RATE_COLUMNS).iterator(chunk_size=2000)

    return [
        ExportSection(
            name="accounts", columns=COLUMNS, rows=rows, count=accounts.count
        ),
        ExportSection(
            name="exchange_rates",
            columns=RATE_COLUMNS,
            rows=rate_rows,
            count=rates.count,
        ),
    ]
