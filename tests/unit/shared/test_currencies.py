"""Currency exponents: our ISO 4217 table, never Babel's digits (decision 0007)."""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Callable, Iterator
from decimal import Decimal

import babel
import babel.numbers
import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.shared.domain import currencies, money
from modules.shared.domain.currencies import (
    ISO_4217_MINOR_UNITS,
    ISO_4217_NO_MINOR_UNIT,
    LEGACY_MINOR_UNITS,
    LIST_ONE_PUBLISHED,
    MINOR_UNITS,
    NO_MINOR_UNIT,
)
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import (
    Money,
    currencies_by_minor_units,
    minor_units,
    normalize_currency,
)

EVERY_CODE = sorted(MINOR_UNITS)


def _clear_caches() -> None:
    minor_units.cache_clear()
    money._quantum.cache_clear()
    currencies_by_minor_units.cache_clear()


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    """Nothing read before a monkeypatch may answer for it, nor outlive it."""
    _clear_caches()
    yield
    _clear_caches()


def _grouped(amount: Decimal, digits: int) -> str:
    """The number as English CLDR patterns print it: 12,345,678.90."""
    return f"{amount:,.{digits}f}"


# The table


def test_the_table_is_list_one_as_published() -> None:
    assert LIST_ONE_PUBLISHED == "2026-01-01"
    # 178 entries in List One: 165 with a minor unit, 13 with "N.A."
    assert len(ISO_4217_MINOR_UNITS) == 165
    assert len(ISO_4217_NO_MINOR_UNIT) == 13
    assert not ISO_4217_MINOR_UNITS.keys() & ISO_4217_NO_MINOR_UNIT


def test_every_active_code_has_an_exponent_from_0_to_4() -> None:
    for code, exponent in ISO_4217_MINOR_UNITS.items():
        assert re.fullmatch(r"[A-Z]{3}", code), code
        assert type(exponent) is int
        assert 0 <= exponent <= 4, code


def test_every_accepted_code_has_an_exponent_from_0_to_4() -> None:
    assert not ISO_4217_MINOR_UNITS.keys() & LEGACY_MINOR_UNITS.keys()
    assert not MINOR_UNITS.keys() & NO_MINOR_UNIT
    assert set(MINOR_UNITS) == {*ISO_4217_MINOR_UNITS, *LEGACY_MINOR_UNITS}
    for code, exponent in MINOR_UNITS.items():
        assert re.fullmatch(r"[A-Z]{3}", code), code
        assert 0 <= exponent <= 4, code


def test_the_exponents_other_than_2_in_list_one() -> None:
    # The values a typo would most likely hit: any other active code has 2.
    by_exponent: dict[int, set[str]] = {}
    for code, exponent in ISO_4217_MINOR_UNITS.items():
        by_exponent.setdefault(exponent, set()).add(code)
    assert by_exponent[0] == {
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
        "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF",
    }  # fmt: skip
    assert by_exponent[3] == {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"}
    assert by_exponent[4] == {"CLF", "UYW"}
    assert set(by_exponent) == {0, 2, 3, 4}


@pytest.mark.parametrize(
    ("code", "exponent"),
    [
        ("JPY", 0),
        ("KRW", 0),
        ("ISK", 0),
        ("VND", 0),
        ("UGX", 0),
        ("CLP", 0),
        ("XOF", 0),
        ("USD", 2),
        ("EUR", 2),
        ("GBP", 2),
        ("CHF", 2),
        # CLDR (Babel 2.19) says 0 for these three; ISO and our stored rows say 2
        ("HUF", 2),
        ("COP", 2),
        ("IDR", 2),
        # CLDR (Babel 2.18) says 0 for these two; ISO says 2
        ("RSD", 2),
        ("AFN", 2),
        # divided into five, not by a power of ten (CLDR: MGA 0); ISO says 2
        ("MGA", 2),
        ("MRU", 2),
        ("KWD", 3),
        ("BHD", 3),
        ("IQD", 3),
        ("JOD", 3),
        ("LYD", 3),
        ("OMR", 3),
        ("TND", 3),
        ("CLF", 4),
        ("UYW", 4),
        # recent List One additions
        ("XCG", 2),
        ("ZWG", 2),
        ("XAD", 2),
        ("SLE", 2),
        ("VED", 2),
    ],
)
def test_pinned_exponents(code: str, exponent: int) -> None:
    assert ISO_4217_MINOR_UNITS[code] == exponent
    assert minor_units(code) == exponent


@pytest.mark.parametrize(
    ("code", "exponent"),
    [("ANG", 2), ("BGN", 2), ("CUC", 2), ("HRK", 2), ("ZWL", 2), ("SLL", 0)],
)
def test_withdrawn_codes_stay_readable_at_their_stored_exponent(
    code: str, exponent: int
) -> None:
    assert code not in ISO_4217_MINOR_UNITS
    assert LEGACY_MINOR_UNITS[code] == exponent
    assert Money.from_minor(12345, code).minor == 12345


def test_codes_without_a_minor_unit_stay_refused() -> None:
    assert ISO_4217_NO_MINOR_UNIT <= NO_MINOR_UNIT
    for code in sorted(NO_MINOR_UNIT):
        with pytest.raises(ValidationError) as error:
            normalize_currency(code)
        (detail,) = error.value.details
        assert detail.code == "no_minor_unit"


def test_every_code_is_grouped_by_its_exponent() -> None:
    groups = currencies_by_minor_units()
    assert {code for codes in groups.values() for code in codes} == set(MINOR_UNITS)
    for exponent, codes in groups.items():
        assert all(MINOR_UNITS[code] == exponent for code in codes)


# Never from Babel


def test_the_table_imports_nothing_but_the_standard_library() -> None:
    tree = ast.parse(inspect.getsource(currencies))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported == {"__future__", "collections.abc", "types", "typing"}


def test_money_takes_no_digits_from_babel() -> None:
    tree = ast.parse(inspect.getsource(money))
    names = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("babel")
        for alias in node.names
    }
    # NumberPattern only names the type of the pattern our own digits are set on
    assert names == {"Locale", "NumberPattern", "format_currency"}


def _babel_says(digits: Callable[[str], int]) -> Callable[..., int]:
    def get_currency_precision(currency: str, *args: object, **kwargs: object) -> int:
        return digits(currency)

    return get_currency_precision


@pytest.mark.usefixtures("fresh_caches")
def test_our_exponent_wins_wherever_babel_disagrees(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A Babel that disagrees with us on every code, and knows no currency at all.
    monkeypatch.setattr(
        babel.numbers,
        "get_currency_precision",
        _babel_says(lambda code: (MINOR_UNITS.get(code, 2) + 1) % 5),
    )
    monkeypatch.setattr(babel.numbers, "list_currencies", lambda locale=None: set())
    amount = Decimal("123456789012")
    for code in EVERY_CODE:
        exponent = MINOR_UNITS[code]
        assert babel.numbers.get_currency_precision(code) != exponent
        assert normalize_currency(code.lower()) == code
        assert minor_units(code) == exponent
        value = Money.from_minor(123456789012, code)
        assert value.minor == 123456789012
        assert value.amount == amount.scaleb(-exponent)
        one = "1." + "0" * exponent if exponent else "1"
        assert Money.of("1", code).to_string() == one
        assert _grouped(value.amount, exponent) in value.format("en"), code


@pytest.mark.usefixtures("fresh_caches")
def test_babel_2_19_digits_for_huf_cop_idr_change_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    babel_2_19 = {"HUF": 0, "COP": 0, "IDR": 0}
    real = babel.numbers.get_currency_precision
    monkeypatch.setattr(
        babel.numbers,
        "get_currency_precision",
        _babel_says(lambda code: babel_2_19.get(code, real(code))),
    )
    # Babel itself would now drop the decimals...
    assert babel.numbers.format_currency(
        Decimal("1234.56"), "HUF", locale="en"
    ) == babel.numbers.format_currency(Decimal("1235"), "HUF", locale="en")
    # ...we do not: same exponent, same stored integer, same text.
    for code in babel_2_19:
        assert minor_units(code) == 2
        value = Money.from_minor(123456, code)
        assert value.to_string() == "1234.56"
        assert value.minor == 123456
        assert "1,234.56" in value.format("en")
        assert "1.234,56" in value.format("es")


@pytest.mark.parametrize("code", ["HUF", "COP", "IDR", "IQD", "KWD", "JPY", "CLF"])
def test_display_shows_exactly_our_decimals(code: str) -> None:
    exponent = MINOR_UNITS[code]
    value = Money.from_minor(123456789012, code)
    assert _grouped(value.amount, exponent) in value.format("en")


# Where Babel's CLDR digits differ from our table, per Babel release (major.minor).
# Documentation, not configuration: Money ignores these digits (the test above). After
# a Babel upgrade, add its row here; never change currencies.py to follow Babel.
_CLDR_2_18 = dict.fromkeys(
    [
        "AFN", "ALL", "IQD", "IRR", "KPW", "LAK", "LBP",
        "MGA", "MMK", "RSD", "SOS", "SYP", "YER",
    ],
    0,
)  # fmt: skip
BABEL_DIGITS_THAT_DIFFER: dict[str, dict[str, int]] = {
    "2.18": _CLDR_2_18,
    # CLDR 49: HUF, COP and IDR lose their decimals, RSD gets them back.
    "2.19": {
        **{code: 0 for code in _CLDR_2_18 if code != "RSD"},
        **dict.fromkeys(["COP", "HUF", "IDR"], 0),
    },
}
# Codes we accept that Babel does not list (it formats them with the bare code).
CODES_BABEL_DOES_NOT_LIST: dict[str, set[str]] = {
    "2.18": {"XAD"},
    "2.19": {"CNX"},
}


def test_where_babel_differs_is_documented() -> None:
    series = ".".join(babel.__version__.split(".")[:2])
    assert series in BABEL_DIGITS_THAT_DIFFER, (
        f"Babel {babel.__version__} is not documented here yet: add the digits in "
        "which it differs from currencies.py (the table itself stays as it is)"
    )
    listed = set(babel.numbers.list_currencies())
    differ = {
        code: babel.numbers.get_currency_precision(code)
        for code in EVERY_CODE
        if code in listed
        and babel.numbers.get_currency_precision(code) != minor_units(code)
    }
    assert differ == BABEL_DIGITS_THAT_DIFFER[series]
    assert set(MINOR_UNITS) - listed == CODES_BABEL_DOES_NOT_LIST[series]
    # and every code Babel lists is one we accept or one we refuse on purpose
    assert listed - set(MINOR_UNITS) <= NO_MINOR_UNIT


# Minor units round trip, for every code


@pytest.mark.parametrize("code", EVERY_CODE)
def test_minor_units_round_trip(code: str) -> None:
    exponent = MINOR_UNITS[code]
    largest = 10 ** min(15 + exponent, 18) - 1
    for units in [0, 1, -1, 5, 99, 100, -12345, 10**9 + 7, largest, -largest]:
        value = Money.from_minor(units, code)
        assert value.minor == units
        assert value.amount.as_tuple().exponent == -exponent
        assert Money.parse(value.to_string(), code, signed=True) == value
        assert Money.from_minor(value.minor, code) == value
    assert Money.of("1", code).minor == 10**exponent
    assert largest < 2**63


@given(
    st.sampled_from(EVERY_CODE),
    st.integers(min_value=-(10**14), max_value=10**14),
)
def test_minor_units_round_trip_through_the_wire(code: str, units: int) -> None:
    value = Money.from_minor(units, code)
    assert Money.parse(value.to_string(), code, signed=True).minor == units
