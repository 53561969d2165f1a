"""The accounts a person has, for their export."""

from __future__ import annotations

from collections.abc import Iterator

from modules.accounts.infrastructure.models import Account
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


def export_sections() -> list[ExportSection]:
    accounts = Account.objects.order_by("created_at", "id")

    def rows() -> Iterator[Row]:
        yield from accounts.values(*COLUMNS).iterator(chunk_size=2000)

    return [
        ExportSection(name="accounts", columns=COLUMNS, rows=rows, count=accounts.count)
    ]
