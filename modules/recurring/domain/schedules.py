"""When a recurring rule is due: a schedule and the dates it produces.

Plain Python. A schedule produces its dates in order, each once; a monthly schedule on
day 29, 30 or 31 (or on the last day, `LAST_DAY`) falls on a shorter month's last day,
and a yearly schedule on 29 February falls on 28 February in other years.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.text import gettext_noop

LAST_DAY = -1
MAX_INTERVAL = 99
MAX_COUNT = 10_000


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"


DAY_FREQUENCIES = frozenset({Frequency.MONTHLY, Frequency.YEARLY})


def last_day_of_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def _on_day(year: int, month: int, day: int) -> date:
    last = last_day_of_month(year, month)
    return date(year, month, last if day == LAST_DAY else min(day, last))


@dataclass(frozen=True, kw_only=True)
class Schedule:
    """Every `interval` days, weeks, months or years from `starts_on`, up to `ends_on`
    or for `count` dates (at most one of the two).

    Weekly schedules fall on `weekday` (0 Monday .. 6 Sunday, by default the start's),
    monthly ones on `day_of_month` (1..31 or `LAST_DAY`, by default the start's day),
    yearly ones on that day of the start's month.
    """

    frequency: Frequency
    starts_on: date
    interval: int = 1
    day_of_month: int | None = None
    weekday: int | None = None
    ends_on: date | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.interval <= MAX_INTERVAL:
            raise ValidationError.for_field(
                "interval", gettext_noop("Use an interval between 1 and 99.")
            )
        if self.ends_on is not None and self.count is not None:
            raise ValidationError.for_field(
                "count", gettext_noop("Give an end date or a count, not both.")
            )
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ValidationError.for_field(
                "ends_on", gettext_noop("The end date must not be before the start.")
            )
        if self.count is not None and not 1 <= self.count <= MAX_COUNT:
            raise ValidationError.for_field(
                "count", gettext_noop("Use a count between 1 and 10000.")
            )
        if self.day_of_month is not None and (
            self.frequency not in DAY_FREQUENCIES
            or not (1 <= self.day_of_month <= 31 or self.day_of_month == LAST_DAY)
        ):
            raise ValidationError.for_field(
                "day_of_month",
                gettext_noop(
                    "A day of the month (1 to 31, or -1 for the last day) "
                    "goes with a monthly or yearly rule."
                ),
            )
        if self.weekday is not None and (
            self.frequency is not Frequency.WEEKLY or not 0 <= self.weekday <= 6
        ):
            raise ValidationError.for_field(
                "weekday",
                gettext_noop(
                    "A weekday (0 Monday to 6 Sunday) goes with a weekly rule."
                ),
            )

    # --- the dates ----------------------------------------------------------------

    def _candidate(self, k: int) -> date:
        """The k-th date of the unbounded schedule, counting from its first period."""
        start = self.starts_on
        match self.frequency:
            case Frequency.DAILY:
                return start + timedelta(days=k * self.interval)
            case Frequency.WEEKLY:
                first = start + timedelta(
                    days=(self.weekday_used - start.weekday()) % 7
                )
                return first + timedelta(weeks=k * self.interval)
            case Frequency.MONTHLY:
                year, month = _add_months(start.year, start.month, k * self.interval)
                return _on_day(year, month, self.day_used)
            case Frequency.YEARLY:
                return _on_day(
                    start.year + k * self.interval, start.month, self.day_used
                )
        raise AssertionError(self.frequency)  # pragma: no cover

    def _skips_first(self) -> bool:
        """A monthly day before the start's day begins in the next period."""
        return self._candidate(0) < self.starts_on

    def _period_index_near(self, on: date) -> int:
        """A period index whose date is on or before `on` (never past it)."""
        days = (on - self.starts_on).days
        match self.frequency:
            case Frequency.DAILY:
                return max(days // self.interval - 1, 0)
            case Frequency.WEEKLY:
                return max(days // (7 * self.interval) - 1, 0)
            case Frequency.MONTHLY:
                months = (
                    (on.year - self.starts_on.year) * 12
                    + on.month
                    - self.starts_on.month
                )
                return max(months // self.interval - 1, 0)
            case Frequency.YEARLY:
                return max((on.year - self.starts_on.year) // self.interval - 1, 0)
        raise AssertionError(self.frequency)  # pragma: no cover

    def dates(self, start: date, end: date) -> Iterator[date]:
        """Every date of the schedule from `start` to `end`, both included, in order."""
        start = max(start, self.starts_on)
        if self.ends_on is not None:
            end = min(end, self.ends_on)
        if end < start:
            return
        offset = 1 if self._skips_first() else 0
        k = max(self._period_index_near(start), offset)
        while True:
            if self.count is not None and k - offset >= self.count:
                return
            on = self._candidate(k)
            if on > end:
                return
            if on >= start:
                yield on
            k += 1

    def first_on_or_after(self, on: date) -> date | None:
        """The next date from `on`, or None when the schedule has ended by then."""
        horizon = on + timedelta(days=366 * self.interval + 31)
        return next(self.dates(on, horizon), None)

    def occurs_on(self, on: date) -> bool:
        return next(self.dates(on, on), None) == on

    def count_before(self, on: date) -> int:
        """How many dates fall before `on`."""
        return sum(1 for _ in self.dates(self.starts_on, on - timedelta(days=1)))

    # --- changes ------------------------------------------------------------------

    def split(self, on: date) -> tuple[Schedule | None, Schedule]:
        """Change the schedule from `on`: the old one ends the day before (None when
        none of its dates is left), the new one takes over on `on` with the same
        rhythm and what is left of the count; the caller then changes the new one."""
        if on <= self.starts_on:
            return None, self
        next_date = self.first_on_or_after(on)
        if next_date is None:
            raise ValidationError.for_field(
                "from_date",
                gettext_noop("The rule has no dates left from that day on."),
            )
        before = self.count_before(on)
        old = (
            None
            if before == 0
            else replace(self, ends_on=on - timedelta(days=1), count=None)
        )
        new = replace(
            self,
            starts_on=next_date,
            weekday=self.weekday_used if self.frequency is Frequency.WEEKLY else None,
            day_of_month=self.day_used if self.frequency in DAY_FREQUENCIES else None,
            count=None if self.count is None else self.count - before,
        )
        return old, new

    @property
    def weekday_used(self) -> int:
        return self.starts_on.weekday() if self.weekday is None else self.weekday

    @property
    def day_used(self) -> int:
        return self.starts_on.day if self.day_of_month is None else self.day_of_month
