"""A person's budgets and the alerts they sent, for their export."""

from __future__ import annotations

from modules.budgets.infrastructure.models import Budget, BudgetAlert
from modules.shared.application.exports import ExportSection
from modules.shared.infrastructure.exports import model_section

BUDGET_COLUMNS = (
    "id", "name", "category_id", "period", "limit", "currency", "rollover",
    "starts_on", "archived_at", "created_at",
)  # fmt: skip
ALERT_COLUMNS = ("budget_id", "period_starts_on", "threshold", "created_at")


def export_sections() -> list[ExportSection]:
    return [
        model_section(
            "budgets",
            Budget.objects.order_by("created_at", "id"),
            BUDGET_COLUMNS,
            {"limit_minor": "limit"},
        ),
        model_section(
            "budget_alerts",
            BudgetAlert.objects.order_by("created_at", "id"),
            ALERT_COLUMNS,
        ),
    ]
