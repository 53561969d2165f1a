"""A person's recurring transactions, bills and the dates already handled, for
their export."""

from __future__ import annotations

from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.shared.application.exports import ExportSection
from modules.shared.infrastructure.exports import model_section

RULE_COLUMNS = (
    "id", "name", "kind", "account_id", "to_account_id", "amount", "currency",
    "category_id", "payee", "note", "frequency", "interval", "day_of_month",
    "weekday", "starts_on", "ends_on", "count", "is_bill", "paused",
    "replaced_by_id", "created_at",
)  # fmt: skip
OCCURRENCE_COLUMNS = ("rule_id", "on", "status", "transaction_id", "created_at")


def export_sections() -> list[ExportSection]:
    return [
        model_section(
            "recurring_rules",
            RecurringRule.objects.order_by("created_at", "id"),
            RULE_COLUMNS,
            {"amount_minor": "amount"},
        ),
        model_section(
            "recurring_occurrences",
            Occurrence.objects.order_by("on", "id"),
            OCCURRENCE_COLUMNS,
        ),
    ]
