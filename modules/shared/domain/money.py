"""Money: an exact `Decimal` amount in one ISO 4217 currency, at its minor unit.

Pure Python so every module can share it (see decision 0002). Floats are refused
everywhere: amounts arrive as decimal strings, ints or Decimals and leave as strings.
Minor units come from our own table in `currencies` (decision 0007); Babel is used
for display only.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    InvalidOperation,
)
from typing import Final, Self

from babel import Locale
from babel.numbers import NumberPattern, format_currency

from modules.shared.domain.currencies import MINOR_UNITS, NO_MINOR_UNIT
from modules.shared.domain.errors import FieldProblem, ValidationError
from modules.shared.domain.text import gettext_noop

MAX_INTEGER_DIGITS: Final = (
    15  # with up to 3 decimals, minor units fit a signed 64-bit column
)
MAX_EXPONENT: Final = 20
_MAX_TEXT_LENGTH: Final = 64
_DECIMAL_TEXT: Final = re.compile(
    r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII
)
# What a client may send: digits, at most one decimal point with digits after it;
# a minus in front only where the amount may be negative (a balance).
AMOUNT_PATTERN: Final = r"^\d+(\.\d+)?$"
SIGNED_AMOUNT_PATTERN: Final = r"^-?\d+(\.\d+)?$"
_AMOUNT_TEXT: Final = re.compile(AMOUNT_PATTERN, re.ASCII)
_SIGNED_AMOUNT_TEXT: Final = re.compile(SIGNED_AMOUNT_PATTERN, re.ASCII)
AMOUNT_GRAMMAR: Final = gettext_noop(
    "Enter the amount as digits with at most one decimal point, such as 12.50: "
    "no sign, spaces or exponent."
)
SIGNED_AMOUNT_GRAMMAR: Final = gettext_noop(
    "Enter the amount as digits with at most one decimal point, such as 12.50 or "
    "-12.50: no plus sign, spaces or exponent."
)

# Add, subtract, multiply and quantize are exact in this context whatever the
# caller's thread context says; sizes are checked before any quantize.
_EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class CurrencyMismatchError(ValidationError):
    """Two amounts in different currencies met in one operation."""

    code = "CURRENCY_MISMATCH"

    def __init__(self, left: str, right: str) -> None:
        message = gettext_noop("Amounts in different currencies cannot be combined.")
        super().__init__(
            message,
            details=(
                FieldProblem(
                    field="currency", code="currency_mismatch", message=message
                ),
            ),
        )
        self.currencies = (left, right)


def _invalid(field: str, code: str, message: str) -> ValidationError:
    return ValidationError(
        message, details=(FieldProblem(field=field, code=code, message=message),)
    )


def _not_an_amount() -> ValidationError:
    return _invalid("amount", "invalid", gettext_noop("Enter a valid amount."))


def normalize_currency(currency: str) -> str:
    """Upper-case and check a code: in our table (`currencies`), with a minor unit."""
    if not isinstance(currency, str):
        raise _invalid("currency", "invalid", gettext_noop("Unknown currency code."))
    code = currency.strip().upper()
    if code in NO_MINOR_UNIT:
        raise _invalid(
            "currency",
            "no_minor_unit",
            gettext_noop("This currency code is not money that can be held."),
        )
    if code not in MINOR_UNITS:
        raise _invalid("currency", "invalid", gettext_noop("Unknown currency code."))
    return code


@functools.cache
def currencies_by_minor_units() -> dict[int, frozenset[str]]:
    """Every holdable currency, grouped by its number of decimals (0, 2, 3, ...)."""
    groups: dict[int, set[str]] = {}
    for code, digits in MINOR_UNITS.items():
        groups.setdefault(digits, set()).add(code)
    return {digits: frozenset(codes) for digits, codes in groups.items()}


@functools.cache
def minor_units(currency: str) -> int:
    """Decimal places of the currency's minor unit (JPY 0, USD 2, KWD 3).

    From our ISO 4217 table, never from Babel: stored integers depend on it.
    """
    return MINOR_UNITS[normalize_currency(currency)]


@functools.cache
def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def _integer_digits(value: Decimal) -> int:
    return 0 if value.is_zero() else max(value.adjusted() + 1, 0)


def _refuse_non_decimal(value: object) -> None:
    """Floats and bools are bugs in the money path, not numbers to convert."""
    if isinstance(value, float):
        raise _invalid(
            "amount",
            "float_not_allowed",
            gettext_noop("Amounts must be decimal strings, never floating point."),
        )
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise _not_an_amount()


def _checked_size(value: Decimal) -> Decimal:
    if not value.is_finite():
        raise _not_an_amount()
    if _integer_digits(value) > MAX_INTEGER_DIGITS:
        raise _invalid("amount", "too_large", gettext_noop("The amount is too large."))
    return value


def _round(value: Decimal, currency: str, rounding: str) -> Decimal:
    """Quantize to the minor unit; zero loses its sign so "-0.00" never shows."""
    rounded = _checked_size(value).quantize(
        _quantum(currency), rounding=rounding, context=_EXACT
    )
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _parse_decimal(text: str) -> Decimal:
    """Read a plain decimal string; no NaN, no Infinity, no `_`, no other digits."""
    cleaned = text.strip()
    if not cleaned:
        raise _invalid("amount", "required", gettext_noop("Enter an amount."))
    if len(cleaned) > _MAX_TEXT_LENGTH or not _DECIMAL_TEXT.fullmatch(cleaned):
        raise _not_an_amount()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:  # an exponent beyond what Decimal can hold
        raise _not_an_amount() from None
    exponent = value.as_tuple().exponent
    if not isinstance(exponent, int) or abs(exponent) > MAX_EXPONENT:
        raise _not_an_amount()
    return value


def _to_decimal(amount: str | int | Decimal) -> Decimal:
    if isinstance(amount, str):
        return _parse_decimal(amount)
    _refuse_non_decimal(amount)
    return Decimal(amount)


@dataclass(frozen=True, slots=True)
class Money:
    """An amount exact at its currency's minor unit; build with `of` to round."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        currency = normalize_currency(self.currency)
        _refuse_non_decimal(self.amount)
        amount = Decimal(self.amount)
        exact = _round(amount, currency, ROUND_HALF_EVEN)
        if exact != amount:
            raise _invalid(
                "amount",
                "too_precise",
                gettext_noop("The amount has more decimals than the currency allows."),
            )
        object.__setattr__(self, "currency", currency)
        object.__setattr__(self, "amount", exact)

    # Constructors

    @classmethod
    def of(
        cls,
        amount: str | int | Decimal,
        currency: str,
        *,
        rounding: str = ROUND_HALF_EVEN,
    ) -> Self:
        """Round any decimal amount to the minor unit (banker's rounding by default)."""
        return cls(_round(_to_decimal(amount), currency, rounding), currency)

    @classmethod
    def parse(cls, text: str, currency: str, *, signed: bool = False) -> Self:
        """Read client input strictly: a string of digits with at most one decimal
        point ("12.50"), a leading minus only if `signed`; no plus, spaces, exponent
        or other digits; never rounded ("12.345" USD fails)."""
        if not isinstance(text, str):
            _refuse_non_decimal(text)
            raise _invalid(
                "amount",
                "invalid",
                gettext_noop("Send the amount as a decimal string."),
            )
        if not text:
            raise _invalid("amount", "required", gettext_noop("Enter an amount."))
        grammar, message = (
            (_SIGNED_AMOUNT_TEXT, SIGNED_AMOUNT_GRAMMAR)
            if signed
            else (_AMOUNT_TEXT, AMOUNT_GRAMMAR)
        )
        if len(text) > _MAX_TEXT_LENGTH or not grammar.fullmatch(text):
            raise _invalid("amount", "invalid", message)
        return cls(Decimal(text), currency)

    @classmethod
    def from_minor(cls, units: int, currency: str) -> Self:
        """Rebuild from stored integer minor units (1234 USD cents -> 12.34)."""
        if isinstance(units, bool) or not isinstance(units, int):
            raise TypeError("minor units must be an int")
        return cls(Decimal(units).scaleb(-minor_units(currency), _EXACT), currency)

    @classmethod
    def zero(cls, currency: str) -> Self:
        return cls(Decimal(0), currency)

    # Reading

    @property
    def minor(self) -> int:
        """Exact integer minor units, as the database stores them."""
        return int(self.amount.scaleb(minor_units(self.currency), _EXACT))

    def is_zero(self) -> bool:
        return self.amount.is_zero()

    def is_positive(self) -> bool:
        return self.amount > 0

    def is_negative(self) -> bool:
        return self.amount < 0

    def to_string(self) -> str:
        """The wire form: exactly the minor-unit decimals ("1234.50", "500")."""
        return format(self.amount, "f")

    def __str__(self) -> str:
        return f"{self.to_string()} {self.currency}"

    def as_dict(self) -> dict[str, str]:
        return {"amount": self.to_string(), "currency": self.currency}

    def format(self, locale: str) -> str:
        """Display text for a person ("1.234,50 €" in es), always at our minor unit.

        Babel supplies the locale's pattern, symbol and separators only. Left to
        itself it would use CLDR's digits (IQD 0; HUF, COP and IDR 0 from Babel 2.19),
        hiding or inventing decimals, so the pattern gets our exponent and
        `currency_digits=False` stops Babel from putting CLDR's back.
        """
        parsed, pattern = _display_pattern(locale, self.currency)
        return format_currency(
            self.amount,
            self.currency,
            format=pattern,
            locale=parsed,
            currency_digits=False,
        )

    # Arithmetic

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(self.currency, other.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(_EXACT.add(self.amount, other.amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return Money(_EXACT.subtract(self.amount, other.amount), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, times: int) -> Money:
        """Exact: only whole numbers; use `multiply` for a rate that needs rounding."""
        if isinstance(times, bool) or not isinstance(times, int):
            return NotImplemented
        return Money(_EXACT.multiply(self.amount, Decimal(times)), self.currency)

    __rmul__ = __mul__

    def multiply(
        self, factor: Decimal | int, *, rounding: str = ROUND_HALF_EVEN
    ) -> Money:
        """Scale by a decimal factor (a rate, a share) and round to the minor unit."""
        _refuse_non_decimal(factor)
        product = _EXACT.multiply(self.amount, Decimal(factor))
        return Money(_round(product, self.currency, rounding), self.currency)

    def allocate(self, ratios: Sequence[int]) -> list[Money]:
        """Split by whole-number ratios without losing a minor unit.

        Largest remainder: each part gets its floored share, then the units left go
        one each to the largest remainders, earlier parts first on ties.
        """
        if (
            not ratios
            or any(isinstance(r, bool) or not isinstance(r, int) for r in ratios)
            or any(r < 0 for r in ratios)
            or sum(ratios) == 0
        ):
            raise _invalid(
                "ratios",
                "invalid",
                gettext_noop("Shares must be whole numbers, not negative, not all 0."),
            )
        total, sign = abs(self.minor), -1 if self.is_negative() else 1
        whole = sum(ratios)
        parts = [total * r // whole for r in ratios]
        by_remainder = sorted(
            range(len(ratios)), key=lambda i: (-(total * ratios[i] % whole), i)
        )
        for i in by_remainder[: total - sum(parts)]:
            parts[i] += 1
        return [Money.from_minor(sign * part, self.currency) for part in parts]

    # Ordering, only within one currency

    def __lt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount <= other.amount

    def __gt__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount > other.amount

    def __ge__(self, other: Money) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        self._same_currency(other)
        return self.amount >= other.amount


def amount_writer(digits: int) -> Callable[[int], str]:
    """Minor units as `Money.to_string` writes them ("856.07"), without a Decimal, for
    long series (a schedule, a forecast); the figures they repeat are written once."""
    if digits == 0:
        return str
    written: dict[int, str] = {}

    def text(minor: int) -> str:
        found = written.get(minor)
        if found is None:
            plain = str(abs(minor)).rjust(digits + 1, "0")
            found = f"{'-' if minor < 0 else ''}{plain[:-digits]}.{plain[-digits:]}"
            written[minor] = found
        return found

    return text


def sum_money(items: Iterable[Money], currency: str) -> Money:
    """Total of amounts that must all be in `currency`; zero when there are none."""
    total = Money.zero(currency)
    for item in items:
        total = total + item
    return total


def sum_by_currency(items: Iterable[Money]) -> dict[str, Money]:
    """One total per currency, in order of first appearance."""
    totals: dict[str, Decimal] = {}
    for item in items:
        totals[item.currency] = _EXACT.add(
            totals.get(item.currency, Decimal(0)), item.amount
        )
    return {code: Money(amount, code) for code, amount in totals.items()}


@functools.lru_cache(maxsize=512)
def _display_pattern(locale: str, currency: str) -> tuple[Locale, NumberPattern]:
    """The locale and its currency pattern at our exponent, made once per pair (a
    statement page formats a hundred amounts; Babel only reads the pattern)."""
    parsed = Locale.parse(locale, sep="-" if "-" in locale else "_")
    pattern = copy.copy(parsed.currency_formats["standard"])
    digits = minor_units(currency)
    pattern.frac_prec = (digits, digits)
    return parsed, pattern
