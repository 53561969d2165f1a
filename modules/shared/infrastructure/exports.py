"""A model's rows as a section of the person's export (`ExportSection`)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from django.db.models import F, QuerySet

from modules.shared.application.exports import ExportSection, Row, with_amounts

CHUNK = 2000


def model_section(
    name: str,
    queryset: QuerySet[Any],
    columns: tuple[str, ...],
    amounts: Mapping[str, str] | None = None,
    *,
    currency: str = "currency",
) -> ExportSection:
    """The section `name`: the `columns` of the queryset's rows, streamed. `amounts`
    maps each stored minor-units field to its column (`{"limit_minor": "limit"}`),
    written as a decimal string in the row's currency; `currency` is where that
    currency is read when the model has none of its own (`"loan__currency"`)."""
    amounts = amounts or {}
    stored = [c for c in columns if c not in amounts.values() and c != "currency"]
    if "currency" in columns and currency == "currency":
        stored.append("currency")
    related = {"currency": F(currency)} if currency != "currency" else {}

    def rows() -> Iterator[Row]:
        values = queryset.values(*stored, *amounts, **related)
        for row in values.iterator(chunk_size=CHUNK):
            yield with_amounts(row, amounts) if amounts else row

    return ExportSection(name=name, columns=columns, rows=rows, count=queryset.count)
