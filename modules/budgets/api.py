"""What other modules may use of budgets: the current figures of a person's budgets
(the dashboard shows them). Everything else in `modules.budgets` is private to it."""

from __future__ import annotations

from modules.budgets.application.use_cases import BudgetView, budget_views, today
from modules.budgets.infrastructure.export import export_sections
from modules.budgets.infrastructure.uow import unit_of_work


def active_budgets() -> list[BudgetView]:
    """The current tenant's budgets that are not archived, with this period's
    figures, in a constant number of queries."""
    uow = unit_of_work()
    return budget_views(uow.budgets.active(), ledger=uow.ledger, on=today(uow))


__all__ = ["BudgetView", "active_budgets", "export_sections"]
