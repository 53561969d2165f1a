"""Budget periods and figures in plain Python: periods tile the calendar in the
person's time zone (month ends, leap years, DST), rollover carries what is left or
overspent, and the 80% and 100% thresholds are exact."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.budgets.domain.budgets import Budget, figures, projected
from modules.budgets.domain.periods import (
    Period,
    PeriodKind,
    local_date,
    period_containing,
    periods_apart,
)
from modules.shared.domain.money import Money


def periods_between(kind: PeriodKind, first: date, last: date) -> list[Period]:
    """Every period from the one holding `first` to the one holding `last`."""
    periods = [period_containing(kind, first)]
    while last not in periods[-1]:
        periods.append(periods[-1].next())
    return periods


days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
kinds = st.sampled_from(list(PeriodKind))
ZONES = ["Europe/Madrid", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia"]


@given(kinds, days)
def test_a_day_lies_in_its_period_and_periods_tile_the_calendar(
    kind: PeriodKind, day: date
) -> None:
    period = period_containing(kind, day)
    assert day in period
    assert period.next().starts_on == period.ends_on + timedelta(days=1)
    assert period.previous().ends_on == period.starts_on - timedelta(days=1)
    assert period.next().previous() == period
    assert period_containing(kind, period.ends_on) == period


@given(days)
def test_weeks_run_monday_to_sunday(day: date) -> None:
    week = period_containing(PeriodKind.WEEK, day)
    assert week.starts_on.weekday() == 0
    assert week.ends_on.weekday() == 6
    assert week.days == 7


@given(days)
def test_months_end_on_their_last_day_leap_years_included(day: date) -> None:
    month = period_containing(PeriodKind.MONTH, day)
    assert month.starts_on == day.replace(day=1)
    assert (month.ends_on + timedelta(days=1)).day == 1
    if day.month == 2:
        leap = day.year % 4 == 0 and (day.year % 100 != 0 or day.year % 400 == 0)
        assert month.ends_on.day == (29 if leap else 28)


@given(days)
def test_years_are_calendar_years(day: date) -> None:
    year = period_containing(PeriodKind.YEAR, day)
    assert (year.starts_on, year.ends_on) == (
        date(day.year, 1, 1),
        date(day.year, 12, 31),
    )
    assert year.days in (365, 366)


def test_the_month_after_31_january_is_february_to_its_end() -> None:
    january = period_containing(PeriodKind.MONTH, date(2028, 1, 31))
    assert january.next() == Period(
        date(2028, 2, 1), date(2028, 2, 29), PeriodKind.MONTH
    )
    assert january.next().next().starts_on == date(2028, 3, 1)


@given(kinds, days, days)
def test_walking_periods_covers_the_days_without_gaps(
    kind: PeriodKind, a: date, b: date
) -> None:
    first, last = min(a, b), max(a, b)
    periods = periods_between(kind, first, last)
    assert first in periods[0] and last in periods[-1]
    for earlier, later in itertools.pairwise(periods):
        assert later.starts_on == earlier.ends_on + timedelta(days=1)


@given(kinds, days, days)
def test_periods_apart_counts_the_periods_between(
    kind: PeriodKind, a: date, b: date
) -> None:
    first, last = min(a, b), max(a, b)
    counted = len(periods_between(kind, first, last)) - 1
    assert (
        periods_apart(
            kind, period_containing(kind, first), period_containing(kind, last)
        )
        == counted
    )


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1),
        max_value=datetime(2100, 1, 1),
        timezones=st.just(UTC),
    ),
    st.sampled_from(ZONES),
    kinds,
)
def test_the_period_of_a_moment_is_the_one_of_the_local_date(
    moment: datetime, zone: str, kind: PeriodKind
) -> None:
    local = moment.astimezone(ZoneInfo(zone))
    assert local_date(moment, zone) == local.date()
    assert local.date() in period_containing(kind, local_date(moment, zone))


@pytest.mark.parametrize(
    ("moment", "zone", "expected"),
    [
        # Madrid springs forward at 01:00 UTC on 26 March 2028 (a Sunday).
        (datetime(2028, 3, 26, 22, 30, tzinfo=UTC), "Europe/Madrid", date(2028, 3, 27)),
        (datetime(2028, 3, 26, 21, 30, tzinfo=UTC), "Europe/Madrid", date(2028, 3, 26)),
        # New York falls back on 5 November 2028; 04:30 UTC is 23:30 the day before.
        (
            datetime(2028, 11, 6, 4, 30, tzinfo=UTC),
            "America/New_York",
            date(2028, 11, 5),
        ),
        (
            datetime(2028, 11, 6, 5, 30, tzinfo=UTC),
            "America/New_York",
            date(2028, 11, 6),
        ),
        # Month end: 31 January 23:30 UTC is already February in Madrid.
        (datetime(2028, 1, 31, 23, 30, tzinfo=UTC), "Europe/Madrid", date(2028, 2, 1)),
    ],
)
def test_week_and_month_change_at_local_midnight_across_dst(
    moment: datetime, zone: str, expected: date
) -> None:
    assert local_date(moment, zone) == expected


def budget(limit: str = "200.00", *, rollover: bool = False, **kw: object) -> Budget:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "name": "Food",
        "category_id": uuid.uuid4(),
        "period": PeriodKind.MONTH,
        "limit": Money.parse(limit, "EUR"),
        "rollover": rollover,
        "starts_on": date(2028, 1, 10),
    }
    fields.update(kw)
    return Budget(**fields)  # type: ignore[arg-type]


def eur(text: str) -> Money:
    return Money.parse(text, "EUR", signed=True)


def test_figures_of_the_current_period() -> None:
    food = budget()
    march = period_containing(PeriodKind.MONTH, date(2028, 3, 15))
    shown = figures(
        food, march, spent=eur("190.00"), rolled_over=eur("0"), today=date(2028, 3, 15)
    )
    assert shown.limit == eur("200.00")
    assert shown.remaining == eur("10.00")
    assert shown.percent_used == Decimal("95.0")
    assert shown.projected == eur("392.67")  # 190 over 15 of 31 days
    assert shown.thresholds_reached() == [80]


def test_thresholds_are_exact_at_the_boundary() -> None:
    month = period_containing(PeriodKind.MONTH, date(2028, 3, 1))

    def reached(spent: str) -> list[int]:
        return figures(
            budget(), month, spent=eur(spent), rolled_over=eur("0"), today=month.ends_on
        ).thresholds_reached()

    assert reached("159.99") == []
    assert reached("160.00") == [80]
    assert reached("199.99") == [80]
    assert reached("200.00") == [80, 100]
    assert reached("-5.00") == []


def test_rollover_carries_what_is_left_and_what_is_overspent() -> None:
    food = budget(rollover=True)
    march = period_containing(PeriodKind.MONTH, date(2028, 3, 1))
    assert food.before(march) == (date(2028, 1, 1), date(2028, 2, 29))
    # January and February: 400.00 of limits, 350.00 spent -> 50.00 carried.
    assert food.rolled_over(march, eur("350.00")) == eur("50.00")
    # Overspent by 30.00 -> March starts with 170.00.
    carried = food.rolled_over(march, eur("430.00"))
    shown = figures(
        food, march, spent=eur("0"), rolled_over=carried, today=march.starts_on
    )
    assert shown.limit == eur("170.00")


def test_without_rollover_or_in_the_first_period_nothing_is_carried() -> None:
    march = period_containing(PeriodKind.MONTH, date(2028, 3, 1))
    assert budget().before(march) is None
    assert budget().rolled_over(march, eur("999.00")) == eur("0")
    assert budget(rollover=True).before(budget().first_period()) is None


def test_an_overspent_limit_is_used_up_by_any_spending() -> None:
    month = period_containing(PeriodKind.MONTH, date(2028, 3, 1))
    shown = figures(
        budget(),
        month,
        spent=eur("1.00"),
        rolled_over=eur("-250.00"),
        today=month.ends_on,
    )
    assert shown.percent_used == Decimal(100)
    assert shown.thresholds_reached() == [80, 100]


@given(kinds, days, st.integers(min_value=0, max_value=10**9))
def test_projection_is_at_least_the_spending_and_exact_at_the_end(
    kind: PeriodKind, day: date, minor: int
) -> None:
    period = period_containing(kind, day)
    spent = Money.from_minor(minor, "EUR")
    assert projected(spent, period, day) >= spent
    assert projected(spent, period, period.ends_on) == spent
    assert projected(spent, period, period.ends_on + timedelta(days=1)) == spent
