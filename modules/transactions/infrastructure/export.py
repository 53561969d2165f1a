"""Categories, transactions and their postings, for the person's export."""

from __future__ import annotations

from collections.abc import Iterator

from modules.shared.application.exports import ExportSection, Row, with_amounts
from modules.transactions.infrastructure.models import Category, Entry, Posting

CHUNK = 2000
CATEGORY_COLUMNS = ("id", "name", "kind", "parent_id", "archived_at", "created_at")
ENTRY_COLUMNS = (
    "id", "kind", "occurred_on", "payee", "description", "notes", "reverses_id",
    "created_at",
)  # fmt: skip
POSTING_COLUMNS = (
    "transaction_id", "account_id", "counterpart", "category_id", "amount", "currency",
    "occurred_on",
)  # fmt: skip


def export_sections() -> list[ExportSection]:
    categories = Category.objects.order_by("created_at", "id")
    entries = Entry.objects.order_by("occurred_on", "created_at", "id")
    postings = Posting.objects.order_by("occurred_on", "entry_id", "id")

    def category_rows() -> Iterator[Row]:
        yield from categories.values(*CATEGORY_COLUMNS).iterator(chunk_size=CHUNK)

    def entry_rows() -> Iterator[Row]:
        yield from entries.values(*ENTRY_COLUMNS).iterator(chunk_size=CHUNK)

    def posting_rows() -> Iterator[Row]:
        fields = (
            "entry_id",
            "account_id",
            "counterpart",
            "category_id",
            "amount_minor",
        )
        for row in postings.values(*fields, "currency", "occurred_on").iterator(
            chunk_size=CHUNK
        ):
            row["transaction_id"] = row.pop("entry_id")
            yield with_amounts(row, {"amount_minor": "amount"})

    return [
        ExportSection(
            name="categories",
            columns=CATEGORY_COLUMNS,
            rows=category_rows,
            count=categories.count,
        ),
        ExportSection(
            name="transactions",
            columns=ENTRY_COLUMNS,
            rows=entry_rows,
            count=entries.count,
        ),
        ExportSection(
            name="postings",
            columns=POSTING_COLUMNS,
            rows=posting_rows,
            count=postings.count,
        ),
    ]
