"""What budget use cases need: a store of budgets and their alerts, the ledger's
spending and categories, the owner's settings, the outbox."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from uuid import UUID

from modules.budgets.domain.budgets import Budget
from modules.live.application.events import EventOutbox
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction
from modules.shared.domain.money import Money


@dataclass(frozen=True, kw_only=True)
class CategoryRef:
    id: UUID
    name: str
    parent_id: UUID | None
    archived: bool


class SpentTotals(Protocol):
    def total(
        self, category_ids: Iterable[UUID], currency: str, start: date, end: date
    ) -> int:
        """Net spending in minor units on these days."""


class Rates(Protocol):
    def convert(self, money: Money, target: str, on: date) -> Money | None:
        """At the rate of `on` or the last day before it; None when there is none."""


class Ledger(Protocol):
    def expense_categories(self) -> dict[UUID, CategoryRef]: ...

    def spending_by_day(
        self,
        category_ids: Iterable[UUID],
        *,
        start: date,
        end: date,
        not_in: str | None,
    ) -> Mapping[tuple[UUID, str, date], int]:
        """Spending per category, currency and day, in every currency but `not_in`
        (None: in every currency)."""

    def rates(self, currencies: Iterable[str], *, since: date, until: date) -> Rates:
        """The exchange rates between these currencies for these days."""

    def spending(
        self,
        category_ids: Iterable[UUID],
        currencies: Iterable[str],
        ranges: Iterable[tuple[date, date]],
    ) -> SpentTotals:
        """Enough of the ledger's totals to answer for any of `ranges`, in a fixed
        number of queries."""


class BudgetStore(Protocol):
    def add(self, budget: Budget) -> None: ...

    def get(self, budget_id: UUID) -> Budget | None: ...

    def save(self, budget: Budget) -> None: ...

    def active(self) -> list[Budget]: ...

    def record_alert(
        self, budget_id: UUID, period_starts_on: date, threshold: int
    ) -> bool:
        """Remember that this threshold was reached in this period; False when it
        already was (the alert went out before)."""


class OwnerSettings(Protocol):
    time_zone: str
    base_currency: str


class UnitOfWork(Transaction, Protocol):
    budgets: BudgetStore
    ledger: Ledger
    events: EventOutbox
    clock: Clock

    def owner(self) -> OwnerSettings: ...
