"""The reports a person asks for, over a range of months, from the read model.

The data come through one port (`Readings`): the real one reads the ledger's monthly
totals, the accounts, the categories and the rates through their modules' APIs; the
unit tests use a fake.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypedDict
from uuid import UUID

from modules.reports.domain.reports import (
    AccountLine,
    AccountMonth,
    CashFlowPoint,
    CategoryInfo,
    LineMonth,
    NetWorthPoint,
    Rates,
    SpendingBreakdown,
    as_of,
    cash_flow,
    months_between,
    net_worth,
    spending_by_category,
)

DEFAULT_MONTHS = 12


class Readings(Protocol):
    def today(self) -> date: ...
    def base_currency(self) -> str: ...
    def accounts(self) -> list[AccountLine]: ...
    def account_months(self, *, until: date) -> list[AccountMonth]: ...
    def line_months(self, *, since: date, until: date) -> list[LineMonth]: ...
    def categories(self) -> dict[UUID, CategoryInfo]: ...
    def rates(
        self, currencies: Iterable[str], *, since: date, until: date
    ) -> Rates: ...


@dataclass(frozen=True, kw_only=True)
class Range:
    months: list[date]
    today: date
    base: str

    @property
    def first_day(self) -> date:
        return self.months[0]

    @property
    def last_month(self) -> date:
        return self.months[-1]

    @property
    def last_day(self) -> date:
        return as_of(self.months[-1], self.today)


def report_range(
    readings: Readings, *, start: date | None = None, end: date | None = None
) -> Range:
    """The months asked for; by default the last twelve, this month included."""
    today = readings.today()
    last = end or today
    first = start or _months_before(last, DEFAULT_MONTHS - 1)
    return Range(
        months=months_between(first, last), today=today, base=readings.base_currency()
    )


def _months_before(day: date, count: int) -> date:
    index = day.year * 12 + day.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True, kw_only=True)
class NetWorthReport:
    range: Range
    points: list[NetWorthPoint]


class MonthWalk(TypedDict):
    """What every report walks its months with: the months, today, the base
    currency and the rates it converts at."""

    months: list[date]
    today: date
    base: str
    rates: Rates


def _walk(readings: Readings, span: Range, currencies: Iterable[str]) -> MonthWalk:
    rates = readings.rates(currencies, since=span.first_day, until=span.last_day)
    return MonthWalk(months=span.months, today=span.today, base=span.base, rates=rates)


def net_worth_report(readings: Readings, span: Range) -> NetWorthReport:
    accounts = readings.accounts()
    rows = readings.account_months(until=span.last_month)
    walk = _walk(readings, span, {line.currency for line in accounts})
    return NetWorthReport(
        range=span, points=net_worth(accounts=accounts, months_rows=rows, **walk)
    )


@dataclass(frozen=True, kw_only=True)
class CashFlowReport:
    range: Range
    points: list[CashFlowPoint]


def _flows(
    readings: Readings, span: Range
) -> tuple[list[LineMonth], dict[UUID, CategoryInfo], MonthWalk]:
    rows = readings.line_months(since=span.first_day, until=span.last_month)
    walk = _walk(readings, span, {row.currency for row in rows})
    return rows, readings.categories(), walk


def cash_flow_report(readings: Readings, span: Range) -> CashFlowReport:
    rows, categories, walk = _flows(readings, span)
    return CashFlowReport(
        range=span, points=cash_flow(rows=rows, categories=categories, **walk)
    )


@dataclass(frozen=True, kw_only=True)
class SpendingReport:
    range: Range
    breakdown: SpendingBreakdown
    by_group: bool


def spending_report(
    readings: Readings, span: Range, *, by_group: bool, uncategorised: str
) -> SpendingReport:
    rows, categories, walk = _flows(readings, span)
    return SpendingReport(
        range=span,
        by_group=by_group,
        breakdown=spending_by_category(
            rows=rows,
            categories=categories,
            by_group=by_group,
            uncategorised=uncategorised,
            **walk,
        ),
    )


__all__: Sequence[str] = (
    "CashFlowReport",
    "NetWorthReport",
    "Range",
    "Readings",
    "SpendingReport",
    "cash_flow_report",
    "net_worth_report",
    "report_range",
    "spending_report",
)
