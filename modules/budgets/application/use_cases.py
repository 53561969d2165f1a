"""Setting budgets, reading their figures and history, and alerting on thresholds."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from uuid import UUID

from contracts.events.models import BudgetThresholdCrossed
from modules.budgets.application.ports import CategoryRef, Ledger, Rates, UnitOfWork
from modules.budgets.domain.budgets import Budget, Figures, figures
from modules.budgets.domain.periods import Period, PeriodKind, local_date
from modules.shared.application.commands import (
    UNCHANGED,
    Unchanged,
    archived_at,
    given,
)
from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.money import Money, normalize_currency
from modules.shared.domain.text import gettext_noop


def today(uow: UnitOfWork) -> date:
    """Today where the person lives: their periods turn at their midnight."""
    return local_date(uow.clock.now(), uow.owner().time_zone)


@dataclass(frozen=True, kw_only=True)
class CreateBudget:
    category_id: UUID
    period: PeriodKind
    amount: str
    name: str = ""
    currency: str | None = None
    rollover: bool = False
    starts_on: date | None = None
    group: bool = False  # the category must be a group


def create_budget(*, uow: UnitOfWork, command: CreateBudget) -> Budget:
    """A budget in the person's base currency unless another is given; it counts
    from the period holding `starts_on` (today by default)."""
    with uow:
        category = _usable_category(uow.ledger, command.category_id, command.group)
        currency = normalize_currency(command.currency or uow.owner().base_currency)
        budget = Budget(
            id=uuid.uuid4(),
            name=command.name.strip() or category.name,
            category_id=category.id,
            period=command.period,
            limit=_limit(command.amount, currency),
            rollover=command.rollover,
            starts_on=command.starts_on or today(uow),
        )
        uow.budgets.add(budget)
    return budget


@dataclass(frozen=True, kw_only=True)
class UpdateBudget:
    """Rename, change the limit or rollover, archive or restore; the category,
    period and currency stay, so the history keeps its meaning."""

    budget_id: UUID
    name: str | Unchanged = UNCHANGED
    amount: str | Unchanged = UNCHANGED
    rollover: bool | Unchanged = UNCHANGED
    archived: bool | Unchanged = UNCHANGED


def update_budget(*, uow: UnitOfWork, command: UpdateBudget) -> Budget:
    with uow:
        budget = uow.budgets.get(command.budget_id)
        if budget is None:
            raise NotFoundError(gettext_noop("No such budget."))
        amount = command.amount
        updated = replace(
            budget,
            name=given(command.name, budget.name).strip() or budget.name,
            limit=budget.limit
            if isinstance(amount, Unchanged)
            else _limit(amount, budget.currency),
            rollover=given(command.rollover, budget.rollover),
            archived_at=archived_at(
                budget.archived_at, command.archived, now=uow.clock.now()
            ),
        )
        if updated != budget:
            uow.budgets.save(updated)
    return updated


def _limit(amount: str, currency: str) -> Money:
    limit = Money.parse(amount, currency)
    if not limit.is_positive():
        raise ValidationError.for_field(
            "amount", gettext_noop("The limit must be more than zero.")
        )
    return limit


def _usable_category(ledger: Ledger, category_id: UUID, group: bool) -> CategoryRef:
    category = ledger.expense_categories().get(category_id)
    if category is None or category.archived:
        raise ValidationError.for_field(
            "category_group" if group else "category",
            gettext_noop("Choose one of your spending categories."),
        )
    if group and category.parent_id is not None:
        raise ValidationError.for_field(
            "category_group", gettext_noop("This category is not a group.")
        )
    return category


# --- Reading -------------------------------------------------------------------------


def counted_categories(
    budget: Budget, categories: Mapping[UUID, CategoryRef]
) -> frozenset[UUID]:
    """The budget's category and, for a group, every category in it."""
    return frozenset(
        {budget.category_id}
        | {c.id for c in categories.values() if c.parent_id == budget.category_id}
    )


@dataclass(frozen=True, kw_only=True)
class BudgetView:
    """A budget as shown: on a group or one category, and its current period."""

    budget: Budget
    on_group: bool
    current: Figures


def budget_views(
    budgets: Sequence[Budget], *, ledger: Ledger, on: date
) -> list[BudgetView]:
    categories = ledger.expense_categories()
    shown = current_figures(budgets, ledger=ledger, on=on, categories=categories)
    return [
        BudgetView(
            budget=b,
            on_group=_is_group(categories.get(b.category_id)),
            current=shown[b.id],
        )
        for b in budgets
    ]


def _is_group(category: CategoryRef | None) -> bool:
    return category is not None and category.parent_id is None


@dataclass(frozen=True)
class OtherCurrencies:
    """Spending in other currencies than a budget's, per day, and the rates that
    convert it (ADR 0025): each day's amount per currency at the rate of that day or
    the last before it, rounded once; an amount with no such rate is kept apart,
    unconverted, and never guessed."""

    by_day: Mapping[tuple[UUID, str, date], int]
    rates: Rates | None
    # by_day per category: each budget walks only its own categories' days.
    by_category: Mapping[UUID, list[tuple[str, date, int]]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        index: dict[UUID, list[tuple[str, date, int]]] = defaultdict(list)
        for (category, code, day), minor in self.by_day.items():
            index[category].append((code, day, minor))
        object.__setattr__(self, "by_category", index)

    def spent(
        self, category_ids: frozenset[UUID], currency: str, start: date, end: date
    ) -> tuple[Money, dict[str, int]]:
        """What was spent on these days converted to `currency`, and what could not
        be, in minor units per currency."""
        per_day: dict[tuple[str, date], int] = defaultdict(int)
        for category in category_ids:
            for code, day, minor in self.by_category.get(category, ()):
                if code != currency and start <= day <= end:
                    per_day[(code, day)] += minor
        total, missing = Money.zero(currency), defaultdict[str, int](int)
        for (code, day), minor in sorted(per_day.items()):
            amount = Money.from_minor(minor, code)
            converted = (
                self.rates.convert(amount, currency, day) if self.rates else None
            )
            if converted is None:
                missing[code] += minor
            else:
                total = total + converted
        return total, missing


def other_currencies(
    ledger: Ledger,
    category_ids: Iterable[UUID],
    currencies: set[str],
    ranges: Sequence[tuple[date, date]],
) -> OtherCurrencies:
    """Spending in other currencies than the budgets' over `ranges`: one query, and
    one more for the rates when there is any."""
    by_day = ledger.spending_by_day(
        category_ids,
        start=min(start for start, _ in ranges),
        end=max(end for _, end in ranges),
        not_in=next(iter(currencies)) if len(currencies) == 1 else None,
    )
    if not by_day:
        return OtherCurrencies({}, None)
    days = [day for _, _, day in by_day]
    rates = ledger.rates(
        {code for _, code, _ in by_day} | currencies, since=min(days), until=max(days)
    )
    return OtherCurrencies(by_day, rates)


def merged(*missing: Mapping[str, int]) -> dict[str, int]:
    """Amounts left unconverted, in minor units, summed per currency."""
    totals: dict[str, int] = defaultdict(int)
    for found in missing:
        for code, minor in found.items():
            totals[code] += minor
    return totals


def unconverted(*missing: Mapping[str, int]) -> tuple[Money, ...]:
    """The amounts left unconverted as money, per currency (zero sums dropped)."""
    return tuple(
        Money.from_minor(minor, code)
        for code, minor in sorted(merged(*missing).items())
        if minor
    )


def current_figures(
    budgets: Sequence[Budget],
    *,
    ledger: Ledger,
    on: date,
    categories: Mapping[UUID, CategoryRef] | None = None,
) -> dict[UUID, Figures]:
    """Each budget's figures for the period holding `on`: the same few queries for
    one budget or a hundred."""
    if not budgets:
        return {}
    if categories is None:
        categories = ledger.expense_categories()
    counted = {b.id: counted_categories(b, categories) for b in budgets}
    periods = {b.id: b.period_on(on) for b in budgets}
    ranges: list[tuple[date, date]] = []
    for budget in budgets:
        period = periods[budget.id]
        ranges.append((period.starts_on, period.ends_on))
        if (before := budget.before(period)) is not None:
            ranges.append(before)
    every_category = {c for ids in counted.values() for c in ids}
    currencies = {b.currency for b in budgets}
    spending = ledger.spending(every_category, currencies, ranges)
    others = other_currencies(ledger, every_category, currencies, ranges)

    def spent(budget: Budget, start: date, end: date) -> tuple[Money, dict[str, int]]:
        minor = spending.total(counted[budget.id], budget.currency, start, end)
        converted, missing = others.spent(
            counted[budget.id], budget.currency, start, end
        )
        return Money.from_minor(minor, budget.currency) + converted, missing

    shown = {}
    for budget in budgets:
        period = periods[budget.id]
        before = budget.before(period)
        spent_before, missing_before = (
            spent(budget, *before) if before else (Money.zero(budget.currency), {})
        )
        in_period, missing = spent(budget, period.starts_on, period.ends_on)
        shown[budget.id] = figures(
            budget,
            period,
            spent=in_period,
            rolled_over=budget.rolled_over(period, spent_before),
            today=on,
            unconverted=unconverted(missing, missing_before),
        )
    return shown


def past_figures(
    budget: Budget, *, ledger: Ledger, on: date, before: date | None, limit: int
) -> tuple[list[Figures], bool]:
    """Up to `limit` finished periods ending before `before` (or before the current
    period), newest first, and whether older ones remain."""
    end = min(before or on, budget.period_on(on).starts_on) - timedelta(days=1)
    first = budget.first_period()
    periods: list[Period] = []
    period = budget.period_on(end)
    while end >= first.starts_on and len(periods) <= limit:
        periods.append(period)
        if period.starts_on <= first.starts_on:
            break
        period = period.previous()
    more = len(periods) > limit
    periods = periods[:limit]
    if not periods:
        return [], False
    counted = counted_categories(budget, ledger.expense_categories())
    oldest = periods[-1]
    ranges = [(p.starts_on, p.ends_on) for p in periods]
    if (carry_days := budget.before(oldest)) is not None:
        ranges.append(carry_days)
    spending = ledger.spending(counted, [budget.currency], ranges)
    others = other_currencies(ledger, counted, {budget.currency}, ranges)

    def spent(start: date, end: date) -> tuple[Money, dict[str, int]]:
        minor = spending.total(counted, budget.currency, start, end)
        converted, missing = others.spent(counted, budget.currency, start, end)
        return Money.from_minor(minor, budget.currency) + converted, missing

    spent_before, missing_before = (
        spent(*carry_days) if carry_days else (Money.zero(budget.currency), {})
    )
    shown = []
    for period in reversed(periods):
        in_period, missing = spent(period.starts_on, period.ends_on)
        carried = budget.rolled_over(period, spent_before)
        shown.append(
            figures(
                budget,
                period,
                spent=in_period,
                rolled_over=carried,
                today=on,
                unconverted=unconverted(missing, missing_before),
            )
        )
        spent_before = spent_before + in_period
        missing_before = merged(missing_before, missing)
    return shown[::-1], more


# --- Alerts --------------------------------------------------------------------------


def alert_thresholds(
    *, uow: UnitOfWork, category_ids: Iterable[UUID] | None
) -> list[BudgetThresholdCrossed]:
    """After spending changed in `category_ids` (None: it may have anywhere), send
    `budget.threshold_crossed` for each threshold a budget's current period has
    newly reached. Each goes out once per period: spending that falls back under a
    threshold and rises again is not news."""
    with uow:
        budgets = uow.budgets.active()
        if category_ids is not None:
            touched = set(category_ids)
            categories = uow.ledger.expense_categories()
            budgets = [
                b for b in budgets if counted_categories(b, categories) & touched
            ]
        if not budgets:
            return []
        events = []
        for budget_id, shown in current_figures(
            budgets, ledger=uow.ledger, on=today(uow)
        ).items():
            budget = next(b for b in budgets if b.id == budget_id)
            for threshold in shown.thresholds_reached():
                if uow.budgets.record_alert(
                    budget_id, shown.period.starts_on, threshold
                ):
                    events.append(_crossed(budget, shown, threshold))
        uow.events.append_all(events)
    return events


def _crossed(budget: Budget, shown: Figures, threshold: int) -> BudgetThresholdCrossed:
    return BudgetThresholdCrossed(
        budget_id=budget.id,
        budget_name=budget.name,
        threshold=threshold,  # type: ignore[arg-type]
        period_starts_on=shown.period.starts_on,
        period_ends_on=shown.period.ends_on,
        limit=shown.limit.to_string(),
        spent=shown.spent.to_string(),
        remaining=shown.remaining.to_string(),
        percent_used=str(shown.percent_used),
        currency=budget.currency,
    )
