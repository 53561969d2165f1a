"""Loans as pages and the API show them: with their schedule and what is owed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from django.db.models import Prefetch, QuerySet

from modules.accounts import api as accounts
from modules.loans.domain.loans import Loan
from modules.loans.domain.schedule import Row, Schedule
from modules.loans.infrastructure.models import Loan as LoanRow
from modules.loans.infrastructure.models import LoanEvent, LoanPayment
from modules.loans.infrastructure.stores import loan_by_id, to_domain
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop


@dataclass(frozen=True, kw_only=True)
class LoanView:
    loan: Loan
    schedule: Schedule
    balance: Money  # what the loan account says is owed now
    account_name: str
    created_at: datetime

    @property
    def next_row(self) -> Row | None:
        return self.schedule.row(len(self.loan.payments) + 1)

    @property
    def payments_left(self) -> int:
        return len(self.schedule.rows) - len(self.loan.payments)


def loan_rows(*, include_archived: bool = False) -> QuerySet[LoanRow]:
    """The current tenant's loans, with their events and payments in two queries."""
    rows = LoanRow.objects.prefetch_related(
        Prefetch(
            "events",
            queryset=LoanEvent.objects.order_by("occurs_on", "created_at"),
            to_attr="event_list",
        ),
        Prefetch(
            "payments",
            queryset=LoanPayment.objects.order_by("number"),
            to_attr="payment_list",
        ),
    )
    return rows if include_archived else rows.filter(archived_at__isnull=True)


def loan_views(rows: Iterable[LoanRow]) -> list[LoanView]:
    """Each loan with its schedule and its account's balance (one query for all)."""
    rows = list(rows)
    balances = {
        view.row.id: view
        for view in accounts.with_balances(
            accounts.account_rows().filter(id__in=[row.account_id for row in rows])
        )
    }
    views = []
    for row in rows:
        loan = to_domain(row, row.event_list, row.payment_list)  # type: ignore[attr-defined]
        account = balances[row.account_id]
        views.append(
            LoanView(
                loan=loan,
                schedule=loan.schedule(),
                balance=account.balance,
                account_name=account.row.name,
                created_at=row.created_at,
            )
        )
    return views


def loan_or_not_found(loan_id: UUID) -> Loan:
    """The loan alone (no balance): what its schedule needs, in three queries."""
    loan = loan_by_id(loan_id)
    if loan is None:
        raise NotFoundError(gettext_noop("No such loan."))
    return loan


def loan_view(loan_id: UUID) -> LoanView:
    found = loan_views(loan_rows(include_archived=True).filter(id=loan_id))
    if not found:
        raise NotFoundError(gettext_noop("No such loan."))
    return found[0]
