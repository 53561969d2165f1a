"""The cash-flow forecast: a balance carried forward day by day.

Plain Python, one currency per forecast: an account's own, or all accounts of one
currency together; and all of them in the base currency, each currency's balance of
each day converted at the rate of that day or the last before it (ADR 0025).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from modules.shared.domain.money import Money, amount_writer, minor_units

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
        return amount_writer(minor_units(self.currency))(self.minor)


@dataclass(frozen=True, kw_only=True)
class Forecast:
    """Closing balances from `start`, one per day, as minor units: a year of days for
    many accounts is a lot of objects to build when few of them are ever read."""

    currency: str
    start: date
    minors: list[int]
    below_zero: list[date]
    below_buffer: list[date]

    @property
    def days(self) -> list[DayBalance]:
        return [
            DayBalance(
                on=self.start + timedelta(days=i), minor=m, currency=self.currency
            )
            for i, m in enumerate(self.minors)
        ]

    @property
    def lowest(self) -> DayBalance:
        """The first day the balance is at its minimum."""
        least = min(self.minors)
        index = self.minors.index(least)
        return DayBalance(
            on=self.start + timedelta(days=index), minor=least, currency=self.currency
        )


def project(
    *,
    opening: Money,
    today: date,
    days: int,
    movements: Iterable[Movement],
    buffer: Money | None = None,
) -> Forecast:
    """Today's balance and each of the next `days` days' closing balance.

    Movements dated today or later (up to the horizon) are applied on their day.
    """
    changes: dict[date, int] = defaultdict(int)
    for movement in movements:
        changes[movement.on] += movement.amount.minor
    return carry_forward(
        opening=opening, today=today, days=days, changes=changes, buffer=buffer
    )


def carry_forward(
    *,
    opening: Money,
    today: date,
    days: int,
    changes: Mapping[date, int],
    buffer: Money | None = None,
) -> Forecast:
    """`project` for changes already summed per day, in minor units; days outside
    today..today + `days` are left out."""
    minor = opening.minor
    minors = []
    for offset in range(days + 1):
        minor += changes.get(today + timedelta(days=offset), 0)
        minors.append(minor)
    return _forecast(opening.currency, today, minors, buffer)


def _forecast(
    currency: str, start: date, minors: list[int], buffer: Money | None
) -> Forecast:
    def days_below(floor: int) -> list[date]:
        return [start + timedelta(days=i) for i, m in enumerate(minors) if m < floor]

    return Forecast(
        currency=currency,
        start=start,
        minors=minors,
        below_zero=days_below(0),
        below_buffer=[] if buffer is None else days_below(buffer.minor),
    )


def combine(
    forecasts: Iterable[Forecast], *, buffers: Mapping[str, Money] | None = None
) -> list[Forecast]:
    """All accounts together, one forecast per currency."""
    groups: dict[str, list[Forecast]] = defaultdict(list)
    for forecast in forecasts:
        groups[forecast.currency].append(forecast)
    return [
        _forecast(
            currency,
            group[0].start,
            [sum(day) for day in zip(*(f.minors for f in group), strict=True)],
            None if buffers is None else buffers.get(currency),
        )
        for currency, group in sorted(groups.items())
    ]


class Rates(Protocol):
    def convert(self, money: Money, target: str, on: date) -> Money | None:
        """At the rate of `on` or the last day before it; None when there is none."""


@dataclass(frozen=True, kw_only=True)
class InBase:
    """All accounts together in the base currency; `forecast` is None, and
    `missing` names the currencies, when a day has no rate for one of them."""

    forecast: Forecast | None
    missing: tuple[str, ...]


def in_base(
    groups: Iterable[Forecast],
    *,
    base: str,
    rates: Rates | None,
    buffer: Money | None = None,
) -> InBase:
    """Each currency's balance of each day converted once, half-even, at that day's
    rate (or the last before it: a future day takes the latest rate known), and the
    conversions summed. A missing rate is said, never guessed."""
    found = list(groups)
    if not found:
        return InBase(forecast=None, missing=())
    start, length = found[0].start, len(found[0].minors)
    minors = [0] * length
    missing = []
    for group in found:
        if group.currency == base:
            minors = [a + b for a, b in zip(minors, group.minors, strict=True)]
            continue
        converted = _converted(group, base, rates)
        if converted is None:
            missing.append(group.currency)
        else:
            minors = [a + b for a, b in zip(minors, converted, strict=True)]
    if missing:
        return InBase(forecast=None, missing=tuple(sorted(missing)))
    return InBase(forecast=_forecast(base, start, minors, buffer), missing=())


def _converted(group: Forecast, base: str, rates: Rates | None) -> list[int] | None:
    out = []
    for day in group.days:
        value = rates.convert(day.balance, base, day.on) if rates else None
        if value is None:
            return None
        out.append(value.minor)
    return out
