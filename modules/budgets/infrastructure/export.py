"""A person's budgets and the alerts they sent, for their export."""

from __future__ import annotations

from collections.abc import Iterator

from modules.budgets.infrastructure.models import Budget, BudgetAlert
from modules.shared.application.exports import ExportSection, Row, with_amounts

BUDGET_COLUMNS = (
    "id", "name", "category_id", "period", "limit", "currency", "rollover",
    "starts_on", "archived_at", "created_at",
)  # fmt: skip
ALERT_COLUMNS = ("budget_id", "period_starts_on", "threshold", "created_at")


def export_sections() -> list[ExportSection]:
    budgets = Budget.objects.order_by("created_at", "id")
    alerts = BudgetAlert.objects.order_by("created_at", "id")
    stored = [c for c in BUDGET_COLUMNS if c != "limit"]

    def budget_rows() -> Iterator[Row]:
        for row in budgets.values(*stored, "limit_minor").iterator(chunk_size=2000):
            yield with_amounts(row, {"limit_minor": "limit"})

    def alert_rows() -> Iterator[Row]:
        yield from alerts.values(*ALERT_COLUMNS).iterator(chunk_size=2000)

    return [
        ExportSection(
            name="budgets",
            columns=BUDGET_COLUMNS,
            rows=budget_rows,
            count=budgets.count,
        ),
        ExportSection(
            name="budget_alerts",
            columns=ALERT_COLUMNS,
            rows=alert_rows,
            count=alerts.count,
        ),
    ]
