"""Django implementations of the budget ports."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from uuid import UUID

from django.db import IntegrityError, transaction

from modules.accounts import api as accounts
from modules.budgets.application.ports import CategoryRef
from modules.budgets.domain.budgets import Budget
from modules.budgets.domain.periods import PeriodKind
from modules.budgets.infrastructure.models import Budget as BudgetRow
from modules.budgets.infrastructure.models import BudgetAlert
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.money import Money
from modules.transactions import api as ledger


def to_domain(row: BudgetRow) -> Budget:
    return Budget(
        id=row.id,
        name=row.name,
        category_id=row.category_id,
        period=PeriodKind(row.period),
        limit=Money.from_minor(row.limit_minor, row.currency),
        rollover=row.rollover,
        starts_on=row.starts_on,
        archived_at=row.archived_at,
    )


class DjangoBudgetStore:
    def add(self, budget: Budget) -> None:
        BudgetRow.objects.create(
            id=budget.id,
            tenant_id=current_tenant_id(),
            name=budget.name,
            category_id=budget.category_id,
            period=budget.period.value,
            currency=budget.currency,
            limit_minor=budget.limit.minor,
            rollover=budget.rollover,
            starts_on=budget.starts_on,
            archived_at=budget.archived_at,
        )

    def get(self, budget_id: UUID) -> Budget | None:
        row = BudgetRow.objects.filter(id=budget_id).first()
        return to_domain(row) if row else None

    def save(self, budget: Budget) -> None:
        BudgetRow.objects.filter(id=budget.id).update(
            name=budget.name,
            limit_minor=budget.limit.minor,
            rollover=budget.rollover,
            archived_at=budget.archived_at,
        )

    def active(self) -> list[Budget]:
        return [to_domain(r) for r in BudgetRow.objects.filter(archived_at=None)]

    def record_alert(
        self, budget_id: UUID, period_starts_on: date, threshold: int
    ) -> bool:
        try:
            with transaction.atomic():
                BudgetAlert.objects.create(
                    tenant_id=current_tenant_id(),
                    budget_id=budget_id,
                    period_starts_on=period_starts_on,
                    threshold=threshold,
                )
        except IntegrityError:
            return False
        return True


class LedgerForBudgets:
    """The budgets' `Ledger` port, answered by `modules.transactions.api`."""

    def expense_categories(self) -> dict[UUID, CategoryRef]:
        return {
            c.id: CategoryRef(
                id=c.id,
                name=c.name,
                parent_id=c.parent_id,
                archived=c.archived_at is not None,
            )
            for c in ledger.expense_categories()
        }

    def spending(
        self,
        category_ids: Iterable[UUID],
        currencies: Iterable[str],
        ranges: Iterable[tuple[date, date]],
    ) -> ledger.Spending:
        return ledger.spending_by_category(category_ids, currencies, ranges)

    def spending_by_day(
        self,
        category_ids: Iterable[UUID],
        *,
        start: date,
        end: date,
        not_in: str | None,
    ) -> Mapping[tuple[UUID, str, date], int]:
        return ledger.spending_by_day(category_ids, start=start, end=end, not_in=not_in)

    def rates(
        self, currencies: Iterable[str], *, since: date, until: date
    ) -> accounts.RateBook:
        return accounts.rate_book(currencies, since=since, until=until)
