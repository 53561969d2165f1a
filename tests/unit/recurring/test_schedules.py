"""Recurrence rules: month ends, leap years, limits, order, changes from a date."""

from __future__ import annotations

import calendar
import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.recurring.domain.schedules import LAST_DAY, Frequency, Schedule
from modules.shared.domain.errors import ValidationError

starts = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
intervals = st.integers(min_value=1, max_value=12)
month_days = st.one_of(st.integers(min_value=1, max_value=31), st.just(LAST_DAY))


@st.composite
def schedules(draw: st.DrawFn) -> Schedule:
    frequency = draw(st.sampled_from(list(Frequency)))
    start = draw(starts)
    limit = draw(st.sampled_from(["none", "ends_on", "count"]))
    return Schedule(
        frequency=frequency,
        starts_on=start,
        interval=draw(intervals),
        day_of_month=(
            draw(st.one_of(st.none(), month_days))
            if frequency in (Frequency.MONTHLY, Frequency.YEARLY)
            else None
        ),
        weekday=(
            draw(st.one_of(st.none(), st.integers(0, 6)))
            if frequency is Frequency.WEEKLY
            else None
        ),
        ends_on=(
            start + timedelta(days=draw(st.integers(0, 3000)))
            if limit == "ends_on"
            else None
        ),
        count=draw(st.integers(1, 40)) if limit == "count" else None,
    )


def window(schedule: Schedule, years: int = 8) -> list[date]:
    return list(
        schedule.dates(
            schedule.starts_on, schedule.starts_on + timedelta(days=365 * years)
        )
    )


@given(schedules())
def test_dates_strictly_increase_and_stay_within_the_limits(schedule: Schedule) -> None:
    found = window(schedule)
    assert all(a < b for a, b in itertools.pairwise(found))
    assert all(on >= schedule.starts_on for on in found)
    if schedule.ends_on is not None:
        assert all(on <= schedule.ends_on for on in found)
    if schedule.count is not None:
        assert len(found) <= schedule.count


@given(schedules(), st.integers(0, 2000), st.integers(0, 400))
def test_any_window_is_a_slice_of_the_whole(
    schedule: Schedule, skip: int, length: int
) -> None:
    whole = window(schedule, years=12)
    start = schedule.starts_on + timedelta(days=skip)
    end = start + timedelta(days=length)
    assert list(schedule.dates(start, end)) == [d for d in whole if start <= d <= end]


@given(starts, intervals, st.integers(1, 40))
def test_a_count_gives_exactly_that_many_dates(
    start: date, interval: int, count: int
) -> None:
    schedule = Schedule(
        frequency=Frequency.MONTHLY, starts_on=start, interval=interval, count=count
    )
    assert len(list(schedule.dates(start, date(2999, 1, 1)))) == count


@given(starts, month_days)
def test_monthly_dates_fall_on_the_day_or_the_month_end(start: date, day: int) -> None:
    schedule = Schedule(frequency=Frequency.MONTHLY, starts_on=start, day_of_month=day)
    found = list(schedule.dates(start, start + timedelta(days=800)))
    months = {(d.year, d.month) for d in found}
    assert len(months) == len(found)  # once a month
    for on in found:
        last = calendar.monthrange(on.year, on.month)[1]
        assert on.day == (last if day == LAST_DAY else min(day, last))


def test_the_31st_falls_on_28_or_29_february() -> None:
    schedule = Schedule(
        frequency=Frequency.MONTHLY, starts_on=date(2027, 1, 31), day_of_month=31
    )
    assert list(schedule.dates(date(2027, 1, 1), date(2028, 3, 31)))[:3] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
    ]
    assert date(2028, 2, 29) in list(
        schedule.dates(date(2028, 2, 1), date(2028, 2, 29))
    )


def test_a_day_before_the_start_begins_next_month() -> None:
    schedule = Schedule(
        frequency=Frequency.MONTHLY, starts_on=date(2026, 5, 20), day_of_month=5
    )
    assert next(schedule.dates(date(2026, 1, 1), date(2027, 1, 1))) == date(2026, 6, 5)


@given(st.integers(1990, 2090))
def test_29_february_yearly_falls_on_28_february_in_common_years(year: int) -> None:
    schedule = Schedule(frequency=Frequency.YEARLY, starts_on=date(1988, 2, 29))
    (on,) = schedule.dates(date(year, 1, 1), date(year, 12, 31))
    assert on == date(year, 2, 29 if calendar.isleap(year) else 28)


@given(starts, st.integers(1, 4), st.integers(0, 6))
def test_weekly_dates_keep_their_weekday_and_rhythm(
    start: date, interval: int, weekday: int
) -> None:
    schedule = Schedule(
        frequency=Frequency.WEEKLY, starts_on=start, interval=interval, weekday=weekday
    )
    found = list(schedule.dates(start, start + timedelta(days=200)))
    assert all(on.weekday() == weekday for on in found)
    assert all((b - a).days == 7 * interval for a, b in itertools.pairwise(found))
    assert (found[0] - start).days < 7


@given(schedules(), st.integers(1, 2500))
def test_a_change_from_a_date_keeps_every_date(schedule: Schedule, after: int) -> None:
    on = schedule.starts_on + timedelta(days=after)
    if schedule.first_on_or_after(on) is None:
        with pytest.raises(ValidationError):
            schedule.split(on)
        return
    old, new = schedule.split(on)
    end = schedule.starts_on + timedelta(days=365 * 12)
    before = [] if old is None else list(old.dates(old.starts_on, end))
    assert all(d < on for d in before)
    assert all(d >= on for d in new.dates(new.starts_on, end))
    assert before + list(new.dates(new.starts_on, end)) == list(
        schedule.dates(schedule.starts_on, end)
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"interval": 0},
        {"ends_on": date(2025, 12, 31)},
        {"ends_on": date(2026, 2, 1), "count": 2},
        {"count": 0},
        {"day_of_month": 32},
        {"day_of_month": 0},
        {"weekday": 3},
    ],
)
def test_refuses_a_rule_that_makes_no_sense(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Schedule(frequency=Frequency.MONTHLY, starts_on=date(2026, 1, 1), **kwargs)  # type: ignore[arg-type]
