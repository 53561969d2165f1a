"""The cash-flow forecast: a balance carried forward day by day.

Plain Python, one currency per forecast: an account's own. There are no exchange rates
yet, so accounts in different currencies are never added together.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money, minor_units
from modules.shared.domain.text import gettext_noop

HORIZONS = (30, 90, 365)


@dataclass(frozen=True, kw_only=True)
class Movement:
    """What a planned occurrence does to the balance as the person reads it."""

    on: date
    amount: Money


@dataclass(frozen=True, kw_only=True)
class DayBalance:
    """One day's closing balance, kept as minor units: a year of days for many
    accounts is a lot of `Money` to build when few of them are ever read as one."""

    on: date
    minor: int
    currency: str

    @property
    def balance(self) -> Money:
        return Money.from_minor(self.minor, self.currency)

    def amount_text(self) -> str:
        """The balance as the API writes it ("-12.50"), without building a `Money`."""
        units = minor_units(self.currency)
        whole, part = divmod(abs(self.minor), 10**units)
        sign = "-" if self.minor < 0 else ""
        return f"{sign}{whole}.{part:0{units}d}" if units else f"{sign}{whole}"


@dataclass(frozen=True, kw_only=True)
class Forecast:
    currency: str
    days: list[DayBalance]
    lowest: DayBalance
    below_zero: list[date]
    below_buffer: list[date]


def check_horizon(days: int) -> int:
    if days not in HORIZONS:
        raise ValidationError.for_field(
            "days", gettext_noop("Forecast 30, 90 or 365 days."), code="invalid_choice"
        )
    return days


def project(
    *,
    opening: Money,
    today: date,
    days: int,
    movements: Iterable[Movement],
    buffer: Money | None = None,
) -> Forecast:
    """Today's balance and each of the next `days` days' closing balance.

    Movements dated today or later (up to the horizon) are applied on their day; the
    lowest point is the first day the balance is at its minimum.
    """
    currency = opening.currency
    end = today + timedelta(days=days)
    by_day: dict[date, int] = defaultdict(int)
    for movement in movements:
        if today <= movement.on <= end:
            by_day[movement.on] += movement.amount.minor
    minor = opening.minor
    series: list[DayBalance] = []
    for offset in range(days + 1):
        on = today + timedelta(days=offset)
        minor += by_day.get(on, 0)
        series.append(DayBalance(on=on, minor=minor, currency=currency))
    lowest = min(series, key=lambda day: day.minor)
    floor = 0 if buffer is None else buffer.minor
    return Forecast(
        currency=currency,
        days=series,
        lowest=lowest,
        below_zero=[d.on for d in series if d.minor < 0],
        below_buffer=(
            [] if buffer is None else [d.on for d in series if d.minor < floor]
        ),
    )


def combine(
    forecasts: Iterable[Forecast], *, buffers: Mapping[str, Money] | None = None
) -> list[Forecast]:
    """All accounts together, one forecast per currency (never converted)."""
    groups: dict[str, list[Forecast]] = defaultdict(list)
    for forecast in forecasts:
        groups[forecast.currency].append(forecast)
    combined = []
    for currency, group in sorted(groups.items()):
        totals = [
            sum(f.days[i].minor for f in group) for i in range(len(group[0].days))
        ]
        start = group[0].days[0].on
        opening = Money.from_minor(totals[0], currency)
        movements = [
            Movement(
                on=start + timedelta(days=i),
                amount=Money.from_minor(totals[i] - totals[i - 1], currency),
            )
            for i in range(1, len(totals))
        ]
        combined.append(
            project(
                opening=opening,
                today=start,
                days=len(totals) - 1,
                movements=movements,
                buffer=None if buffers is None else buffers.get(currency),
            )
        )
    return combined
