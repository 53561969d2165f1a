"""Exchange rates: what one unit of a currency buys of another, per day (ADR 0018).

Plain Python. A rate says 1 `base` = `rate` `quote` on `day`. A conversion uses the
rate of the day, or the last one before it, and says which (its date and source); a
pair with no rate on or before the day has none, and the caller says so: a rate is
never guessed. The inverse of a pair and a cross rate through a pivot currency (the
ECB publishes everything against EUR) are used when no direct rate is newer.

Converting is exact: the amount times the rate (or divided by it, for an inverse) is
computed at 50 significant digits and rounded once, half-even, to the target
currency's minor unit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Context, Decimal

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money, normalize_currency
from modules.shared.domain.text import gettext_noop

PIVOTS = ("EUR",)  # cross rates go through these (and any currency asked about)
RATE_DECIMALS = 12
RATE_INTEGER_DIGITS = 12
PERSON = ""  # the source of a rate the person entered
_DIVISION = Context(prec=50)
_RATE_TEXT = re.compile(r"\d{1,40}(\.\d{1,40})?", re.ASCII)


@dataclass(frozen=True, kw_only=True)
class Rate:
    base: str
    quote: str
    day: date
    rate: Decimal
    source: str = PERSON


@dataclass(frozen=True, kw_only=True)
class Quote:
    """The rate used between two currencies: `numerator / denominator` units of the
    target for one of the source, from the rate(s) of `day`."""

    source_currency: str
    target_currency: str
    numerator: Decimal
    denominator: Decimal
    day: date
    source: str

    @property
    def rate(self) -> Decimal:
        """For display: the rate at 10 decimals."""
        value = _DIVISION.divide(self.numerator, self.denominator)
        return value.quantize(Decimal("1e-10"), context=_DIVISION).normalize()

    def convert(self, money: Money) -> Money:
        if money.currency != self.source_currency:
            raise ValueError("the amount is not in the quote's source currency")
        scaled = _DIVISION.divide(
            _DIVISION.multiply(money.amount, self.numerator), self.denominator
        )
        return Money.of(scaled, self.target_currency)


def parse_rate(text: str) -> Decimal:
    """A rate as a person sends it: a positive decimal string, at most 12 decimals."""
    plain = isinstance(text, str) and _RATE_TEXT.fullmatch(text.strip())
    value = Decimal(text.strip()) if plain else None
    if (
        value is None
        or value <= 0
        or -int(value.as_tuple().exponent) > RATE_DECIMALS
        or value.adjusted() >= RATE_INTEGER_DIGITS
    ):
        raise ValidationError.for_field(
            "rate",
            gettext_noop(
                "Enter the rate as a positive decimal number, such as 1.0842, with "
                "at most 12 decimals."
            ),
        )
    return value


def checked_pair(base: str, quote: str) -> tuple[str, str]:
    base_code, quote_code = normalize_currency(base), normalize_currency(quote)
    if base_code == quote_code:
        raise ValidationError.for_field(
            "quote",
            gettext_noop("A rate is between two different currencies."),
            code="same_currency",
        )
    return base_code, quote_code


class RateBook:
    """Rates by pair and day, answering "which rate on this day" in O(log n).

    On one day the person's own rate wins over a published one.
    """

    def __init__(self, rates: Iterable[Rate]) -> None:
        by_pair: dict[tuple[str, str], dict[date, Rate]] = defaultdict(dict)
        for rate in rates:
            held = by_pair[(rate.base, rate.quote)].get(rate.day)
            if held is None or (rate.source == PERSON and held.source != PERSON):
                by_pair[(rate.base, rate.quote)][rate.day] = rate
        self._days: dict[tuple[str, str], list[date]] = {}
        self._rates: dict[tuple[str, str], list[Rate]] = {}
        for pair, days in by_pair.items():
            ordered = sorted(days)
            self._days[pair] = ordered
            self._rates[pair] = [days[day] for day in ordered]
        self._currencies = {code for pair in by_pair for code in pair}

    def _last(self, base: str, quote: str, on: date) -> Rate | None:
        days = self._days.get((base, quote))
        if not days:
            return None
        index = bisect_right(days, on)
        return self._rates[(base, quote)][index - 1] if index else None

    def quote(self, source: str, target: str, on: date) -> Quote | None:
        """The rate from `source` to `target` on `on` or the last day before it;
        None when there is none (nothing is guessed)."""
        if source == target:
            return _quote(source, target, 1, 1, day=on, origin=PERSON)
        candidates: list[Quote] = []
        if direct := self._last(source, target, on):
            candidates.append(_from_rate(source, target, direct.rate, 1, direct))
        if inverse := self._last(target, source, on):
            candidates.append(_from_rate(source, target, 1, inverse.rate, inverse))
        for pivot in sorted(self._currencies - {source, target}):
            to_source = self._last(pivot, source, on)
            to_target = self._last(pivot, target, on)
            if to_source and to_target:
                older = min((to_source, to_target), key=lambda r: r.day)
                candidates.append(
                    _from_rate(source, target, to_target.rate, to_source.rate, older)
                )
        # The newest wins; on a tie the first found (direct, inverse, cross): `max`
        # keeps the first of equals.
        return max(candidates, key=lambda q: q.day) if candidates else None

    def convert(self, money: Money, target: str, on: date) -> Money | None:
        found = self.quote(money.currency, target, on)
        return None if found is None else found.convert(money)


def _quote(
    currency: str,
    target: str,
    numerator: Decimal | int,
    denominator: Decimal | int,
    *,
    day: date,
    origin: str,
) -> Quote:
    return Quote(
        source_currency=currency,
        target_currency=target,
        numerator=Decimal(numerator),
        denominator=Decimal(denominator),
        day=day,
        source=origin,
    )


def _from_rate(
    source: str,
    target: str,
    numerator: Decimal | int,
    denominator: Decimal | int,
    rate: Rate,
) -> Quote:
    return _quote(
        source, target, numerator, denominator, day=rate.day, origin=rate.source
    )


# --- Published reference rates ------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ParsedRates:
    rates: list[Rate]
    skipped: int  # cells with no rate ("N/A", empty) or a currency we do not hold


def rates_from_reference_csv(
    rows: Iterable[list[str]], *, base: str = "EUR", source: str = "ECB"
) -> ParsedRates:
    """Read the ECB's CSV layout: a header `Date, USD, JPY, ...` then one row per day
    (`2026-12-02` or `02 December 2026`), each cell 1 `base` in that currency."""
    lines = iter(rows)
    header = [cell.strip().upper() for cell in next(lines, [])]
    if not header or header[0] != "DATE":
        raise ValidationError.for_field(
            "file",
            gettext_noop("The file does not start with a Date column."),
            code="invalid_layout",
        )
    rates: list[Rate] = []
    skipped = 0
    for number, row in enumerate(lines, start=2):
        if not any(cell.strip() for cell in row):
            continue
        day = _reference_day(row[0].strip(), number)
        for code, cell in zip(header[1:], row[1:], strict=False):
            rate = _reference_cell(base, code, cell.strip())
            if rate is None:
                skipped += bool(code)
                continue
            rates.append(Rate(base=base, quote=code, day=day, rate=rate, source=source))
    return ParsedRates(rates=rates, skipped=skipped)


def _reference_day(text: str, line: int) -> date:
    for layout in ("%Y-%m-%d", "%d %B %Y"):
        try:
            return datetime.strptime(text, layout).date()
        except ValueError:
            continue
    raise ValidationError.for_field(
        "file",
        gettext_noop("A line of the file has no date we can read."),
        code=f"invalid_date_line_{line}",
    )


def _reference_cell(base: str, code: str, text: str) -> Decimal | None:
    try:
        checked_pair(base, code)
        return parse_rate(text)
    except ValidationError:
        return None
