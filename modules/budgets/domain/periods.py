"""Budget periods: a week (Monday to Sunday), a calendar month or a calendar year,
counted in the person's time zone."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class PeriodKind(StrEnum):
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class Period:
    """From `starts_on` to `ends_on`, both days included."""

    starts_on: date
    ends_on: date
    kind: PeriodKind

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.starts_on <= day <= self.ends_on

    def next(self) -> Period:
        return period_containing(self.kind, self.ends_on + timedelta(days=1))

    def previous(self) -> Period:
        return period_containing(self.kind, self.starts_on - timedelta(days=1))


def period_containing(kind: PeriodKind, day: date) -> Period:
    """The period of this kind that `day` (a local date) falls in."""
    if kind is PeriodKind.WEEK:
        monday = day - timedelta(days=day.weekday())
        return Period(monday, monday + timedelta(days=6), kind)
    if kind is PeriodKind.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last), kind)
    return Period(date(day.year, 1, 1), date(day.year, 12, 31), kind)


def periods_apart(kind: PeriodKind, earlier: Period, later: Period) -> int:
    """How many periods of this kind start from `earlier` up to (not with) `later`."""
    a, b = earlier.starts_on, later.starts_on
    if kind is PeriodKind.WEEK:
        return (b - a).days // 7
    if kind is PeriodKind.MONTH:
        return (b.year - a.year) * 12 + b.month - a.month
    return b.year - a.year


def local_date(moment: datetime, time_zone: str) -> date:
    """The date it is at `moment` (time-zone aware) where the person lives."""
    return moment.astimezone(ZoneInfo(time_zone)).date()
