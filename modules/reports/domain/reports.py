"""Reports as plain Python: net worth, cash flow and spending per month (ADR 0018).

Every input is one figure per ledger line and month (the read model of ADR 0010), so
a report costs O(lines x months), never O(postings). Figures are kept per currency
and converted to the base currency once per currency and month, at the rate of the
month's last day (today for the current month) or the last rate before it. A
currency with no rate by then leaves the base figure empty and is named: nothing
is guessed.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cached_property
from typing import Protocol
from uuid import UUID

from modules.shared.domain.balances import as_shown
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop

MAX_MONTHS = 240
INCOME, EXPENSE = "income", "expense"  # the ledger's two cash-flow counterparts


class UsedRate(Protocol):
    """A rate as the accounts module quotes it."""

    @property
    def source_currency(self) -> str: ...
    @property
    def day(self) -> date: ...
    @property
    def source(self) -> str: ...
    @property
    def rate(self) -> Decimal: ...
    def convert(self, money: Money) -> Money: ...


class Rates(Protocol):
    def quote(self, source: str, target: str, on: date) -> UsedRate | None: ...


# --- Months ------------------------------------------------------------------------


def month_end(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from `start`'s to `end`'s, both included."""
    first, last = start.replace(day=1), end.replace(day=1)
    if last < first:
        raise ValidationError.for_field(
            "to", gettext_noop("The end of a report comes after its start.")
        )
    months = [first]
    while months[-1] < last:
        months.append(next_month(months[-1]))
        if len(months) > MAX_MONTHS:
            raise ValidationError.for_field(
                "to",
                gettext_noop("A report covers at most 240 months."),
                code="too_long",
            )
    return months


def as_of(month: date, today: date) -> date:
    """The day a month's figures are for and converted at: today within the
    current month, the month's last day otherwise (a future month's rate is then
    the last one known)."""
    return today if month <= today < month_end(month) else month_end(month)


# --- Figures in several currencies -------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One figure: exact per currency and, when every currency has a rate, in the
    base currency (the sum of each currency converted once)."""

    by_currency: dict[str, Money]
    base: Money | None
    missing: tuple[str, ...] = ()
    rates: tuple[UsedRate, ...] = ()

    def __sub__(self, other: Figure) -> Figure:
        currencies = sorted({*self.by_currency, *other.by_currency})
        by_currency = {
            code: self.by_currency.get(code, Money.zero(code))
            - other.by_currency.get(code, Money.zero(code))
            for code in currencies
        }
        base = (
            None if self.base is None or other.base is None else self.base - other.base
        )
        return Figure(
            by_currency=by_currency,
            base=base,
            missing=tuple(sorted({*self.missing, *other.missing})),
            rates=_unique_rates([*self.rates, *other.rates]),
        )


def _unique_rates(rates: Iterable[UsedRate]) -> tuple[UsedRate, ...]:
    seen: dict[str, UsedRate] = {}
    for rate in rates:
        seen.setdefault(rate.source_currency, rate)
    return tuple(seen[code] for code in sorted(seen))


def figure(
    minor_by_currency: Mapping[str, int], *, base: str, on: date, rates: Rates
) -> Figure:
    """Per-currency minor units as a `Figure` converted on `on`."""
    by_currency = {
        code: Money.from_minor(amount, code)
        for code, amount in sorted(minor_by_currency.items())
    }
    total = Money.zero(base)
    missing: list[str] = []
    used: list[UsedRate] = []
    for code, money in by_currency.items():
        if code == base:
            total = total + money
            continue
        quote = rates.quote(code, base, on)
        if quote is None:
            missing.append(code)
            continue
        used.append(quote)
        total = total + quote.convert(money)
    return Figure(
        by_currency=by_currency,
        base=None if missing else total,
        missing=tuple(missing),
        rates=tuple(used),
    )


def sum_figures(figures: Sequence[Figure], base: str) -> Figure:
    """Figures added up: per currency, and in the base where every one has it."""
    by_currency: dict[str, Money] = {}
    for item in figures:
        for code, money in item.by_currency.items():
            by_currency[code] = by_currency.get(code, Money.zero(code)) + money
    missing = tuple(sorted({code for item in figures for code in item.missing}))
    total = Money.zero(base)
    for item in figures:
        total = total + (item.base or Money.zero(base))
    return Figure(
        by_currency=dict(sorted(by_currency.items())),
        base=None if missing else total,
        missing=missing,
        rates=_unique_rates(rate for item in figures for rate in item.rates),
    )


# --- Inputs: one row per line and month --------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AccountLine:
    id: UUID
    currency: str
    is_liability: bool


@dataclass(frozen=True, kw_only=True)
class AccountMonth:
    account_id: UUID
    month: date
    amount_minor: int  # the ledger's signed sum of the account's postings that month


@dataclass(frozen=True, kw_only=True)
class LineMonth:
    """A counterpart line's month: income or expense with its category, or another
    counterpart (opening balances, adjustments, exchange, revaluation)."""

    counterpart: str
    category_id: UUID | None
    currency: str
    month: date
    amount_minor: int


@dataclass(frozen=True, kw_only=True)
class CategoryInfo:
    id: UUID
    name: str
    is_expense: bool
    group_id: UUID  # itself when it is a group (no parent)
    group_name: str


# --- Net worth ---------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class NetWorthPoint:
    month: date
    on: date
    assets: Figure
    liabilities: Figure

    @cached_property
    def net(self) -> Figure:
        return self.assets - self.liabilities


def net_worth(
    *,
    accounts: Iterable[AccountLine],
    months_rows: Iterable[AccountMonth],
    months: Sequence[date],
    today: date,
    base: str,
    rates: Rates,
) -> list[NetWorthPoint]:
    """Assets, liabilities and net worth at the end of each month: each account's
    running sum of its monthly totals (rows before the first month included)."""
    lines = {line.id: line for line in accounts}
    by_month: dict[date, list[AccountMonth]] = defaultdict(list)
    for row in months_rows:
        by_month[max(row.month, months[0])].append(row)
    running: dict[UUID, int] = defaultdict(int)
    points = []
    for month in months:
        for row in by_month.get(month, ()):
            running[row.account_id] += row.amount_minor
        assets: dict[str, int] = defaultdict(int)
        owed: dict[str, int] = defaultdict(int)
        for account_id, raw in running.items():
            line = lines[account_id]
            shown = as_shown(
                Money.from_minor(raw, line.currency), liability=line.is_liability
            )
            (owed if line.is_liability else assets)[line.currency] += shown.minor
        on = as_of(month, today)
        points.append(
            NetWorthPoint(
                month=month,
                on=on,
                assets=figure(assets, base=base, on=on, rates=rates),
                liabilities=figure(owed, base=base, on=on, rates=rates),
            )
        )
    return points


# --- Cash flow ---------------------------------------------------------------------


def is_spending(row: LineMonth, categories: Mapping[UUID, CategoryInfo]) -> bool | None:
    """Spending (an expense category, or uncategorised money out), income (an income
    category, or uncategorised money in), or neither (None: opening balances,
    adjustments, exchange, revaluation). A refund on an expense category lowers
    spending."""
    if row.counterpart not in (INCOME, EXPENSE):
        return None
    category = categories.get(row.category_id) if row.category_id else None
    if category is None:
        return row.counterpart == EXPENSE
    return category.is_expense


@dataclass(frozen=True, kw_only=True)
class CashFlowPoint:
    month: date
    on: date
    income: Figure
    spending: Figure

    @cached_property
    def net(self) -> Figure:
        return self.income - self.spending

    @property
    def savings_rate(self) -> Decimal | None:
        """Net as a percentage of income, at one decimal; None without income."""
        income, net = self.income.base, self.net.base
        if income is None or net is None or not income.is_positive():
            return None
        return (net.amount * 100 / income.amount).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_EVEN
        )


def cash_flow(
    *,
    rows: Iterable[LineMonth],
    categories: Mapping[UUID, CategoryInfo],
    months: Sequence[date],
    today: date,
    base: str,
    rates: Rates,
) -> list[CashFlowPoint]:
    """Income and spending of each month (money into and out of the person's
    accounts, transfers between them excluded: they have no counterpart line)."""
    income: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    spending: dict[date, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        kind = is_spending(row, categories)
        if kind is True:
            spending[row.month][row.currency] += row.amount_minor
        elif kind is False:
            income[row.month][row.currency] -= row.amount_minor
    points = []
    for month in months:
        on = as_of(month, today)
        points.append(
            CashFlowPoint(
                month=month,
                on=on,
                income=figure(income[month], base=base, on=on, rates=rates),
                spending=figure(spending[month], base=base, on=on, rates=rates),
            )
        )
    return points


# --- Spending by category and by group ---------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CategorySpending:
    category_id: UUID | None  # None: uncategorised
    name: str
    group_id: UUID | None
    group_name: str
    amount: Figure
    share: Decimal | None = None  # percent of all spending in the base, 1 decimal


@dataclass(frozen=True, kw_only=True)
class SpendingBreakdown:
    rows: list[CategorySpending]
    total: Figure
    months: list[date] = field(default_factory=list)


def spending_by_category(
    *,
    rows: Iterable[LineMonth],
    categories: Mapping[UUID, CategoryInfo],
    months: Sequence[date],
    today: date,
    base: str,
    rates: Rates,
    by_group: bool = False,
    uncategorised: str = "",
) -> SpendingBreakdown:
    """Net spending per category (or per group) over the months, largest first.
    Each month is converted at its own rate, as cash flow converts it, so the rows
    add up to the months' spending."""
    wanted = set(months)
    amounts: dict[UUID | None, dict[date, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for row in rows:
        if row.month not in wanted or is_spending(row, categories) is not True:
            continue
        category = categories.get(row.category_id) if row.category_id else None
        key = (
            None
            if category is None
            else (category.group_id if by_group else category.id)
        )
        amounts[key][row.month][row.currency] += row.amount_minor
    found = []
    for key, per_month in amounts.items():
        amount = sum_figures(
            [
                figure(per_month[month], base=base, on=as_of(month, today), rates=rates)
                for month in sorted(per_month)
            ],
            base,
        )
        found.append(_category_row(key, amount, categories, by_group, uncategorised))
    total = sum_figures([row.amount for row in found], base)
    shared = [_with_share(row, total) for row in found]
    shared.sort(key=lambda r: (-(r.amount.base.amount if r.amount.base else 0), r.name))
    return SpendingBreakdown(rows=shared, total=total, months=list(months))


def _category_row(
    key: UUID | None,
    amount: Figure,
    categories: Mapping[UUID, CategoryInfo],
    by_group: bool,
    uncategorised: str,
) -> CategorySpending:
    if key is None:
        return CategorySpending(
            category_id=None,
            name=uncategorised,
            group_id=None,
            group_name="",
            amount=amount,
        )
    info = categories[key]
    if by_group:
        return CategorySpending(
            category_id=info.group_id,
            name=info.group_name,
            group_id=info.group_id,
            group_name=info.group_name,
            amount=amount,
        )
    return CategorySpending(
        category_id=info.id,
        name=info.name,
        group_id=info.group_id,
        group_name=info.group_name,
        amount=amount,
    )


def _with_share(row: CategorySpending, total: Figure) -> CategorySpending:
    if row.amount.base is None or total.base is None or not total.base.is_positive():
        return row
    share = (row.amount.base.amount * 100 / total.base.amount).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_EVEN
    )
    return CategorySpending(
        category_id=row.category_id,
        name=row.name,
        group_id=row.group_id,
        group_name=row.group_name,
        amount=row.amount,
        share=share,
    )
