"""Reports from monthly totals, with a fake `Readings`: net worth as running sums,
cash flow by category kind, spending by category and group, base-currency
conversion per month, and a missing rate said, never guessed."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from uuid import UUID

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.accounts.domain.rates import Rate, RateBook
from modules.reports.application.reports import (
    cash_flow_report,
    net_worth_report,
    report_range,
    spending_report,
)
from modules.reports.domain.reports import (
    AccountLine,
    AccountMonth,
    CategoryInfo,
    LineMonth,
    Rates,
    as_of,
    months_between,
)
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money

BANK, CARD, DOLLARS = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
FOOD, GROCERIES, SALARY = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@dataclass
class FakeReadings:
    today_is: date = date(2026, 3, 15)
    base: str = "EUR"
    account_rows: list[AccountMonth] = field(default_factory=list)
    lines: list[LineMonth] = field(default_factory=list)
    book: list[Rate] = field(default_factory=list)

    def today(self) -> date:
        return self.today_is

    def base_currency(self) -> str:
        return self.base

    def accounts(self) -> list[AccountLine]:
        return [
            AccountLine(id=BANK, currency="EUR", is_liability=False),
            AccountLine(id=CARD, currency="EUR", is_liability=True),
            AccountLine(id=DOLLARS, currency="USD", is_liability=False),
        ]

    def account_months(self, *, until: date) -> list[AccountMonth]:
        return [row for row in self.account_rows if row.month <= until]

    def line_months(self, *, since: date, until: date) -> list[LineMonth]:
        return [row for row in self.lines if since <= row.month <= until]

    def categories(self) -> dict[UUID, CategoryInfo]:
        return {
            FOOD: CategoryInfo(
                id=FOOD, name="Food", is_expense=True, group_id=FOOD, group_name="Food"
            ),
            GROCERIES: CategoryInfo(
                id=GROCERIES,
                name="Groceries",
                is_expense=True,
                group_id=FOOD,
                group_name="Food",
            ),
            SALARY: CategoryInfo(
                id=SALARY,
                name="Salary",
                is_expense=False,
                group_id=SALARY,
                group_name="Salary",
            ),
        }

    def rates(self, currencies: Iterable[str], *, since: date, until: date) -> Rates:
        return RateBook(self.book)


def month(account: UUID, on: date, minor: int) -> AccountMonth:
    return AccountMonth(account_id=account, month=on, amount_minor=minor)


def line(
    counterpart: str, category: UUID | None, on: date, minor: int, currency: str = "EUR"
) -> LineMonth:
    return LineMonth(
        counterpart=counterpart,
        category_id=category,
        currency=currency,
        month=on,
        amount_minor=minor,
    )


def eur(text: str) -> Money:
    return Money.of(text, "EUR")


def usd_rate(day: date, rate: str) -> Rate:
    # 1 EUR = rate USD, as the ECB quotes it
    return Rate(base="EUR", quote="USD", day=day, rate=Decimal(rate), source="ECB")


def test_net_worth_is_each_accounts_running_sum_at_each_month_end() -> None:
    readings = FakeReadings(
        account_rows=[
            month(BANK, date(2025, 6, 1), 100_000),  # before the range: carried in
            month(BANK, JAN, -20_000),
            month(CARD, FEB, -5_000),  # 50.00 owed
            month(BANK, MAR, 1),
        ]
    )
    span = report_range(readings, start=JAN, end=MAR)
    points = net_worth_report(readings, span).points
    assert [p.net.base for p in points] == [eur("800.00"), eur("750.00"), eur("750.01")]
    assert points[1].liabilities.base == eur("50.00")
    assert points[1].assets.base == eur("800.00")
    assert [p.on for p in points] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        MAR.replace(day=15),
    ]


def test_other_currencies_convert_at_each_months_rate_and_say_which() -> None:
    readings = FakeReadings(
        account_rows=[month(DOLLARS, JAN, 11_000)],
        book=[usd_rate(date(2026, 1, 30), "1.1"), usd_rate(date(2026, 2, 27), "1.25")],
    )
    points = net_worth_report(
        readings, report_range(readings, start=JAN, end=FEB)
    ).points
    assert [p.net.base for p in points] == [eur("100.00"), eur("88.00")]
    assert points[0].net.by_currency == {"USD": Money.of("110.00", "USD")}
    (rate,) = points[1].net.rates
    assert (rate.day, rate.source, rate.rate) == (
        date(2026, 2, 27),
        "ECB",
        Decimal("0.8"),
    )


def test_a_missing_rate_leaves_the_base_empty_and_names_the_currency() -> None:
    readings = FakeReadings(
        account_rows=[month(DOLLARS, JAN, 11_000), month(BANK, JAN, 500)],
        book=[usd_rate(date(2026, 2, 10), "1.1")],
    )
    points = net_worth_report(
        readings, report_range(readings, start=JAN, end=FEB)
    ).points
    assert points[0].net.base is None and points[0].net.missing == ("USD",)
    assert points[0].net.by_currency["EUR"] == eur("5.00")
    assert points[1].net.base == eur("105.00")


def test_cash_flow_counts_by_category_kind_and_refunds_lower_spending() -> None:
    readings = FakeReadings(
        lines=[
            line("income", SALARY, JAN, -300_000),
            line("income", None, JAN, -1_000),  # uncategorised money in
            line("expense", GROCERIES, JAN, 50_000),
            line("income", GROCERIES, JAN, -2_000),  # a refund on groceries
            line("expense", None, JAN, 3_000),  # uncategorised money out
            line("opening_balance", None, JAN, -999_999),  # not cash flow
            line("revaluation", None, JAN, -12_345),  # not cash flow
        ]
    )
    (point,) = cash_flow_report(
        readings, report_range(readings, start=JAN, end=JAN)
    ).points
    assert point.income.base == eur("3010.00")
    assert point.spending.base == eur("510.00")
    assert point.net.base == eur("2500.00")
    assert point.savings_rate == Decimal("83.1")


def test_no_income_has_no_savings_rate() -> None:
    readings = FakeReadings(lines=[line("expense", FOOD, JAN, 100)])
    (point,) = cash_flow_report(
        readings, report_range(readings, start=JAN, end=JAN)
    ).points
    assert point.savings_rate is None and point.net.base == eur("-1.00")


def test_spending_by_category_and_by_group_add_up_to_cash_flow() -> None:
    readings = FakeReadings(
        lines=[
            line("expense", GROCERIES, JAN, 30_000),
            line("expense", FOOD, FEB, 10_000),
            line("expense", None, FEB, 5_000),
            line("expense", GROCERIES, FEB, 15_000, "USD"),
            line("income", SALARY, FEB, -100_000),
        ],
        book=[usd_rate(date(2026, 2, 1), "1.5")],
    )
    span = report_range(readings, start=JAN, end=FEB)
    by_category = spending_report(readings, span, by_group=False, uncategorised="None")
    rows = {row.name: row for row in by_category.breakdown.rows}
    assert rows["Groceries"].amount.base == eur("400.00")  # 300 + 150 USD / 1.5
    assert rows["Groceries"].amount.by_currency == {
        "EUR": eur("300.00"),
        "USD": Money.of("150.00", "USD"),
    }
    assert rows["Groceries"].group_name == "Food"
    assert rows["None"].category_id is None
    assert [r.name for r in by_category.breakdown.rows] == ["Groceries", "Food", "None"]
    assert [r.share for r in by_category.breakdown.rows] == [
        Decimal("72.7"),
        Decimal("18.2"),
        Decimal("9.1"),
    ]
    by_group = spending_report(readings, span, by_group=True, uncategorised="None")
    groups = {row.name: row.amount.base for row in by_group.breakdown.rows}
    assert groups == {"Food": eur("500.00"), "None": eur("50.00")}
    flow = cash_flow_report(readings, span).points
    total = flow[0].spending.base + flow[1].spending.base  # type: ignore[operator]
    assert by_category.breakdown.total.base == by_group.breakdown.total.base == total


def test_the_default_range_is_the_last_twelve_months() -> None:
    span = report_range(FakeReadings(today_is=date(2026, 3, 15)))
    assert span.months[0] == date(2025, 4, 1) and span.months[-1] == MAR
    assert span.last_day == date(2026, 3, 15)


def test_a_range_ends_after_it_starts_and_is_at_most_240_months() -> None:
    with pytest.raises(ValidationError):
        months_between(FEB, JAN)
    with pytest.raises(ValidationError):
        months_between(date(2000, 1, 1), date(2021, 1, 1))


def test_a_future_month_is_shown_at_its_end() -> None:
    assert as_of(date(2027, 5, 1), date(2026, 3, 15)) == date(2027, 5, 31)
    assert as_of(MAR, date(2026, 3, 31)) == date(2026, 3, 31)


@given(st.lists(st.integers(-(10**7), 10**7), min_size=1, max_size=12))
def test_the_last_net_worth_is_the_sum_of_every_month(amounts: list[int]) -> None:
    months = months_between(date(2025, 1, 1), date(2025, 12, 1))[: len(amounts)]
    readings = FakeReadings(
        today_is=date(2030, 1, 1),
        account_rows=[month(BANK, m, a) for m, a in zip(months, amounts, strict=True)],
    )
    span = report_range(readings, start=months[0], end=months[-1])
    points = net_worth_report(readings, span).points
    assert points[-1].net.base == Money.from_minor(sum(amounts), "EUR")
