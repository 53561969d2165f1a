"""Budget use cases against in-memory fakes: setting a budget (base currency and
today in the person's zone by default, a usable spending category), changing it, and
threshold alerts sent once per threshold and period."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from contracts.events.models import BudgetThresholdCrossed
from modules.accounts.domain.rates import Rate, RateBook
from modules.budgets.application.ports import CategoryRef
from modules.budgets.application.use_cases import (
    CreateBudget,
    UpdateBudget,
    alert_thresholds,
    create_budget,
    current_figures,
    past_figures,
    update_budget,
)
from modules.budgets.domain.budgets import Budget
from modules.budgets.domain.periods import PeriodKind
from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.money import Money
from tests.unit.fakes import FakeOutbox, FakeTransaction, FixedClock

FOOD, GROCERIES, SALARY = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


@dataclass
class FakeSpending:
    """Spending per (category, day), summed over any range."""

    by_day: dict[tuple[UUID, date], int]

    def total(
        self, category_ids: Iterable[UUID], currency: str, start: date, end: date
    ) -> int:
        ids = set(category_ids)
        return sum(
            a for (c, d), a in self.by_day.items() if c in ids and start <= d <= end
        )


@dataclass
class FakeLedger:
    spent: dict[tuple[UUID, date], int] = field(default_factory=dict)
    other_currencies: dict[tuple[UUID, str, date], int] = field(default_factory=dict)
    known_rates: list[Rate] = field(default_factory=list)
    categories: dict[UUID, CategoryRef] = field(
        default_factory=lambda: {
            FOOD: CategoryRef(id=FOOD, name="Food", parent_id=None, archived=False),
            GROCERIES: CategoryRef(
                id=GROCERIES, name="Groceries", parent_id=FOOD, archived=False
            ),
        }
    )

    def expense_categories(self) -> dict[UUID, CategoryRef]:
        return self.categories

    def spending(
        self,
        category_ids: Iterable[UUID],
        currencies: Iterable[str],
        ranges: Iterable[tuple[date, date]],
    ) -> FakeSpending:
        return FakeSpending(self.spent)

    def spending_by_day(
        self,
        category_ids: Iterable[UUID],
        *,
        start: date,
        end: date,
        not_in: str | None,
    ) -> dict[tuple[UUID, str, date], int]:
        wanted = set(category_ids)
        return {
            key: minor
            for key, minor in self.other_currencies.items()
            if key[0] in wanted and start <= key[2] <= end and key[1] != not_in
        }

    def rates(self, currencies: Iterable[str], *, since: date, until: date) -> RateBook:
        return RateBook(self.known_rates)


@dataclass
class FakeBudgets:
    rows: dict[UUID, Budget] = field(default_factory=dict)
    alerts: set[tuple[UUID, date, int]] = field(default_factory=set)

    def add(self, budget: Budget) -> None:
        self.rows[budget.id] = budget

    def get(self, budget_id: UUID) -> Budget | None:
        return self.rows.get(budget_id)

    def save(self, budget: Budget) -> None:
        self.rows[budget.id] = budget

    def active(self) -> list[Budget]:
        return [b for b in self.rows.values() if b.archived_at is None]

    def record_alert(
        self, budget_id: UUID, period_starts_on: date, threshold: int
    ) -> bool:
        key = (budget_id, period_starts_on, threshold)
        if key in self.alerts:
            return False
        self.alerts.add(key)
        return True


@dataclass(frozen=True)
class Owner:
    time_zone: str = "Europe/Madrid"
    base_currency: str = "EUR"


class FakeUnitOfWork(FakeTransaction):
    def __init__(self) -> None:
        super().__init__()
        # 23:30 UTC on 31 January is already 1 February in Madrid.
        self.clock = FixedClock(datetime(2028, 1, 31, 23, 30, tzinfo=UTC))
        self.budgets = FakeBudgets()
        self.ledger = FakeLedger()
        self.events = FakeOutbox()

    def owner(self) -> Owner:
        return Owner()


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def monthly(uow: FakeUnitOfWork, **fields: object) -> Budget:
    command = {"category_id": GROCERIES, "period": PeriodKind.MONTH, "amount": "200.00"}
    command.update(fields)
    return create_budget(uow=uow, command=CreateBudget(**command))  # type: ignore[arg-type]


def test_a_budget_defaults_to_the_base_currency_and_the_local_today(
    uow: FakeUnitOfWork,
) -> None:
    budget = monthly(uow)
    assert budget.limit == Money.parse("200.00", "EUR")
    assert budget.name == "Groceries"
    assert budget.starts_on == date(2028, 2, 1)
    assert uow.budgets.get(budget.id) == budget


def test_only_a_usable_spending_category_and_a_positive_limit(
    uow: FakeUnitOfWork,
) -> None:
    with pytest.raises(ValidationError):
        monthly(uow, category_id=SALARY)
    with pytest.raises(ValidationError):
        monthly(uow, category_id=GROCERIES, group=True)  # not a group
    with pytest.raises(ValidationError):
        monthly(uow, amount="-1.00")
    assert monthly(uow, category_id=FOOD, group=True).category_id == FOOD


def test_change_the_limit_and_archive(uow: FakeUnitOfWork) -> None:
    budget = monthly(uow)
    changed = update_budget(
        uow=uow,
        command=UpdateBudget(budget_id=budget.id, amount="250.00", archived=True),
    )
    assert changed.limit == Money.parse("250.00", "EUR")
    assert changed.archived_at == uow.clock.now()
    with pytest.raises(NotFoundError):
        update_budget(uow=uow, command=UpdateBudget(budget_id=uuid.uuid4(), name="x"))


def test_thresholds_alert_once_per_period_and_a_group_counts_its_categories(
    uow: FakeUnitOfWork,
) -> None:
    food = monthly(uow, category_id=FOOD, group=True, amount="100.00")
    uow.ledger.spent[(GROCERIES, date(2028, 2, 1))] = 8000
    [eighty] = alert_thresholds(uow=uow, category_ids={GROCERIES})
    assert isinstance(eighty, BudgetThresholdCrossed)
    assert (eighty.budget_id, eighty.threshold, eighty.spent) == (food.id, 80, "80.00")
    assert eighty.period_starts_on == date(2028, 2, 1)
    assert alert_thresholds(uow=uow, category_ids=None) == []  # already sent

    uow.ledger.spent[(GROCERIES, date(2028, 2, 2))] = -500  # a refund: 75%
    uow.ledger.spent[(GROCERIES, date(2028, 2, 3))] = 2500  # 100%
    assert [e.threshold for e in alert_thresholds(uow=uow, category_ids=None)] == [100]
    assert [e.threshold for e in uow.events.of_type(BudgetThresholdCrossed)] == [
        80,
        100,
    ]


def test_an_archived_budget_or_another_category_does_not_alert(
    uow: FakeUnitOfWork,
) -> None:
    budget = monthly(uow, amount="10.00")
    uow.ledger.spent[(GROCERIES, date(2028, 2, 1))] = 5000
    assert alert_thresholds(uow=uow, category_ids={uuid.uuid4()}) == []
    uow.budgets.save(replace(budget, archived_at=uow.clock.now()))
    assert alert_thresholds(uow=uow, category_ids={GROCERIES}) == []


def usd_per_eur(day: date, rate: str) -> Rate:
    return Rate(base="EUR", quote="USD", day=day, rate=Decimal(rate))


def test_spending_in_another_currency_counts_at_the_rate_of_its_day(
    uow: FakeUnitOfWork,
) -> None:
    budget = monthly(uow)  # 200.00 EUR from February 2028
    uow.ledger.spent[(GROCERIES, date(2028, 2, 1))] = 5000  # 50.00 EUR
    uow.ledger.other_currencies = {
        (GROCERIES, "USD", date(2028, 2, 1)): 1100,  # 11.00 USD at 1.1000: 10.00
        (GROCERIES, "USD", date(2028, 2, 3)): 333,  # 3.33 USD at 1.2000 (2 Feb): 2.775
    }
    uow.ledger.known_rates = [
        usd_per_eur(date(2028, 1, 31), "1.1"),
        usd_per_eur(date(2028, 2, 2), "1.2"),
    ]

    shown = current_figures([budget], ledger=uow.ledger, on=date(2028, 2, 10))[
        budget.id
    ]

    # 50.00 + 10.00 + 2.78 (2.775 rounded half-even, once, for that day)
    assert shown.spent == Money.parse("62.78", "EUR")
    assert shown.remaining == Money.parse("137.22", "EUR")
    assert shown.unconverted == ()


def test_spending_without_a_rate_is_said_and_never_guessed(
    uow: FakeUnitOfWork,
) -> None:
    budget = monthly(uow, rollover=True, starts_on=date(2028, 1, 1))
    uow.ledger.spent[(GROCERIES, date(2028, 2, 1))] = 5000
    uow.ledger.other_currencies = {
        (GROCERIES, "USD", date(2028, 1, 5)): 1000,  # before the first USD rate
        (GROCERIES, "GBP", date(2028, 2, 4)): 700,  # no GBP rate at all
        (GROCERIES, "GBP", date(2028, 2, 5)): 50,
        (GROCERIES, "USD", date(2028, 2, 6)): 2200,  # 22.00 USD at 1.1: 20.00
    }
    uow.ledger.known_rates = [usd_per_eur(date(2028, 1, 31), "1.1")]

    shown = current_figures([budget], ledger=uow.ledger, on=date(2028, 2, 10))[
        budget.id
    ]

    assert shown.spent == Money.parse("70.00", "EUR")
    assert shown.unconverted == (
        Money.parse("7.50", "GBP"),
        Money.parse("10.00", "USD"),  # January's, carried over with the rollover
    )
    assert shown.rolled_over == Money.parse("200.00", "EUR")  # of what is known

    [january], more = past_figures(
        budget, ledger=uow.ledger, on=date(2028, 2, 10), before=None, limit=5
    )
    assert not more
    assert january.spent == Money.zero("EUR")
    assert january.unconverted == (Money.parse("10.00", "USD"),)
