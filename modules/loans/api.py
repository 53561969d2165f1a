"""What other modules may use of loans."""

from __future__ import annotations

from modules.loans.infrastructure.export import export_sections
from modules.loans.infrastructure.selectors import LoanView, loan_rows, loan_views


def upcoming_payments() -> list[LoanView]:
    """Every open loan with a payment still to make, soonest first (the dashboard's
    list): a constant number of queries whatever the number of loans."""
    views = [view for view in loan_views(loan_rows()) if view.next_row is not None]
    return sorted(views, key=lambda view: view.next_row.date)  # type: ignore[union-attr]


__all__ = ["LoanView", "export_sections", "upcoming_payments"]
