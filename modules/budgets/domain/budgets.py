"""A budget: a limit on spending in a category (or a group) per period, and what
is left of it.

With rollover, what is left at the end of a period (or overspent) is added to the
next period's limit. Carried over period after period, that is simply every past
period's limit less everything spent since the budget began, so it needs only one
total, not a walk through the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from uuid import UUID

from modules.budgets.domain.periods import (
    Period,
    PeriodKind,
    period_containing,
    periods_apart,
)
from modules.shared.domain.money import Money

THRESHOLDS = (80, 100)  # percent of the limit that raise an alert, once per period


@dataclass(frozen=True, kw_only=True)
class Budget:
    id: UUID
    name: str
    category_id: UUID  # a category, or a group: then its sub-categories count too
    period: PeriodKind
    limit: Money
    rollover: bool = False
    starts_on: date
    archived_at: datetime | None = None

    @property
    def currency(self) -> str:
        return self.limit.currency

    def first_period(self) -> Period:
        return period_containing(self.period, self.starts_on)

    def period_on(self, day: date) -> Period:
        return period_containing(self.period, max(day, self.starts_on))

    def before(self, period: Period) -> tuple[date, date] | None:
        """The days of this budget's periods before `period`, whose spending rolls
        over into it; None without rollover or in the first period."""
        first = self.first_period()
        if not self.rollover or period.starts_on <= first.starts_on:
            return None
        return first.starts_on, period.starts_on - timedelta(days=1)

    def rolled_over(self, period: Period, spent_before: Money) -> Money:
        """What is carried into `period`: the limits of the periods before it less
        `spent_before`, what was spent in them (zero without rollover)."""
        if self.before(period) is None:
            return Money.zero(self.currency)
        count = periods_apart(self.period, self.first_period(), period)
        return self.limit * count - spent_before


@dataclass(frozen=True, kw_only=True)
class Figures:
    """A budget in one period. `limit` includes what was rolled over."""

    period: Period
    limit: Money
    rolled_over: Money
    spent: Money  # other currencies included, converted at the rate of each day
    projected: Money
    # Spent in another currency with no rate on or before its day, per currency:
    # not in `spent` (never guessed), so the figures are incomplete while any is.
    unconverted: tuple[Money, ...] = ()

    @property
    def remaining(self) -> Money:
        return self.limit - self.spent

    @property
    def percent_used(self) -> Decimal:
        """Spent as a share of the limit, to one decimal; a limit of zero or less
        (overspent before) is all used as soon as anything is spent."""
        if not self.limit.is_positive():
            return Decimal(100) if self.spent.is_positive() else Decimal(0)
        share = self.spent.amount * 100 / self.limit.amount
        return share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def thresholds_reached(self) -> list[int]:
        """The alert thresholds the spending has reached, exactly (no rounding)."""
        if not self.limit.is_positive():
            return list(THRESHOLDS) if self.spent.is_positive() else []
        return [t for t in THRESHOLDS if self.spent.minor * 100 >= t * self.limit.minor]


def figures(
    budget: Budget,
    period: Period,
    *,
    spent: Money,
    rolled_over: Money,
    today: date,
    unconverted: tuple[Money, ...] = (),
) -> Figures:
    """The figures of `period`; `projected` extends the spending so far at the same
    pace to the end of the period (a finished period's projection is what it spent)."""
    return Figures(
        period=period,
        limit=budget.limit + rolled_over,
        rolled_over=rolled_over,
        spent=spent,
        projected=projected(spent, period, today),
        unconverted=unconverted,
    )


def projected(spent: Money, period: Period, today: date) -> Money:
    if today > period.ends_on:
        return spent
    if today < period.starts_on:
        return Money.zero(spent.currency)
    elapsed = (today - period.starts_on).days + 1
    return spent.multiply(Decimal(period.days) / Decimal(elapsed))
