"""A person's recurring transactions, bills and the dates already handled, for
their export."""

from __future__ import annotations

from collections.abc import Iterator

from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.shared.application.exports import ExportSection, Row, with_amounts

RULE_COLUMNS = (
    "id", "name", "kind", "account_id", "to_account_id", "amount", "currency",
    "category_id", "payee", "note", "frequency", "interval", "day_of_month",
    "weekday", "starts_on", "ends_on", "count", "is_bill", "paused",
    "replaced_by_id", "created_at",
)  # fmt: skip
OCCURRENCE_COLUMNS = ("rule_id", "on", "status", "transaction_id", "created_at")


def export_sections() -> list[ExportSection]:
    rules = RecurringRule.objects.order_by("created_at", "id")
    occurrences = Occurrence.objects.order_by("on", "id")
    stored = [c for c in RULE_COLUMNS if c != "amount"]

    def rule_rows() -> Iterator[Row]:
        for row in rules.values(*stored, "amount_minor").iterator(chunk_size=2000):
            yield with_amounts(row, {"amount_minor": "amount"})

    def occurrence_rows() -> Iterator[Row]:
        yield from occurrences.values(*OCCURRENCE_COLUMNS).iterator(chunk_size=2000)

    return [
        ExportSection(
            name="recurring_rules",
            columns=RULE_COLUMNS,
            rows=rule_rows,
            count=rules.count,
        ),
        ExportSection(
            name="recurring_occurrences",
            columns=OCCURRENCE_COLUMNS,
            rows=occurrence_rows,
            count=occurrences.count,
        ),
    ]
