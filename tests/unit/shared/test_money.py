"""Money: exact amounts at each currency's minor unit, and never a float."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

import pytest
from babel.numbers import get_currency_precision
from hypothesis import assume, given
from hypothesis import strategies as st

from modules.shared.domain.currencies import MINOR_UNITS
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import (
    CurrencyMismatchError,
    Money,
    minor_units,
    normalize_currency,
    sum_by_currency,
    sum_money,
)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def problem(error: pytest.ExceptionInfo[ValidationError]) -> tuple[str, str]:
    (detail,) = error.value.details
    return detail.field, detail.code


# Minor units


@pytest.mark.parametrize(
    ("currency", "digits"),
    [
        ("JPY", 0),
        ("KRW", 0),
        ("CLP", 0),
        ("ISK", 0),
        ("VND", 0),
        ("UGX", 0),
        ("USD", 2),
        ("EUR", 2),
        ("GBP", 2),
        ("KWD", 3),
        ("BHD", 3),
        ("JOD", 3),
        ("OMR", 3),
        ("TND", 3),
        ("IQD", 3),
        ("CLF", 4),
    ],
)
def test_minor_units_follow_iso_4217(currency: str, digits: int) -> None:
    assert minor_units(currency) == digits


def test_iqd_is_pinned_to_iso_where_cldr_says_0() -> None:
    assert get_currency_precision("IQD") == 0
    assert minor_units("IQD") == 3


# Stored integers mean these digits. They come from our table (currencies.py), so a
# Babel upgrade cannot change them; if this fails, an exponent in the table changed,
# and that needs a data migration in the same release (decision 0007).
ZERO_DIGITS = "ADP BIF BYR CLP DJF ESP GNF ISK ITL JPY KMF KRW LUF MGF MRO PYG RWF SLL"
ZERO_DIGITS += " STD TMM TRL UGX UYI VND VUV XAF XOF XPF ZMK ZWD"
DIGITS_OTHER_THAN_2 = {
    **dict.fromkeys(ZERO_DIGITS.split(), 0),
    **dict.fromkeys(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"], 3),
    **dict.fromkeys(["CLF", "UYW"], 4),
}
NOT_MONEY = {"XAG", "XAU", "XBA", "XBB", "XBC", "XBD", "XDR", "XEU", "XFO", "XFU"}
NOT_MONEY |= {"XPD", "XPT", "XRE", "XSU", "XTS", "XUA", "XXX"}


def test_digits_of_every_known_currency_are_pinned() -> None:
    actual = {code: minor_units(code) for code in sorted(MINOR_UNITS)}
    assert not NOT_MONEY & actual.keys()
    assert actual == {code: DIGITS_OTHER_THAN_2.get(code, 2) for code in actual}


def test_minor_units_are_cached() -> None:
    minor_units("EUR")
    hits = minor_units.cache_info().hits
    minor_units("EUR")
    assert minor_units.cache_info().hits == hits + 1


# Currency codes


def test_currency_is_upper_cased() -> None:
    money = Money.of("1", "eur")
    assert money.currency == "EUR"
    assert money == Money.of("1", "EUR")
    assert normalize_currency(" usd ") == "USD"


@pytest.mark.parametrize(
    "code", ["XXX", "XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "xau"]
)
def test_codes_without_a_minor_unit_are_refused(code: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money(Decimal(1), code)
    assert problem(error) == ("currency", "no_minor_unit")


@pytest.mark.parametrize("code", ["ZZZ", "", "US", "EURO", "€"])
def test_unknown_codes_are_refused(code: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money(Decimal(1), code)
    assert problem(error) == ("currency", "invalid")


def test_a_currency_must_be_text() -> None:
    with pytest.raises(ValidationError):
        Money(Decimal(1), 840)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        minor_units("ZZZ")


# The constructor: exact amounts only


def test_amount_is_stored_at_exactly_the_minor_unit() -> None:
    money = Money(Decimal("1.5"), "USD")
    assert money.amount == Decimal("1.50")
    assert money.amount.as_tuple().exponent == -2
    assert Money(Decimal("500.000"), "JPY").amount.as_tuple().exponent == 0


def test_an_int_amount_is_accepted() -> None:
    assert Money(12, "USD").amount == Decimal("12.00")  # type: ignore[arg-type]


def test_an_amount_finer_than_the_minor_unit_is_refused() -> None:
    with pytest.raises(ValidationError) as error:
        Money(Decimal("1.005"), "USD")
    assert problem(error) == ("amount", "too_precise")
    with pytest.raises(ValidationError):
        Money(Decimal("0.5"), "JPY")


def test_a_float_amount_is_refused_with_a_clear_error() -> None:
    with pytest.raises(ValidationError) as error:
        Money(1.5, "USD")  # type: ignore[arg-type]
    assert problem(error) == ("amount", "float_not_allowed")
    assert "floating point" in error.value.message


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_a_non_finite_amount_is_refused(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money(Decimal(value), "USD")
    assert problem(error) == ("amount", "invalid")


@pytest.mark.parametrize("value", ["1.00", True, None, b"1"])
def test_other_amount_types_are_refused(value: object) -> None:
    with pytest.raises(ValidationError):
        Money(value, "USD")  # type: ignore[arg-type]


def test_negative_zero_is_plain_zero() -> None:
    assert Money(Decimal("-0"), "USD").to_string() == "0.00"
    assert (-Money.zero("USD")).to_string() == "0.00"
    assert Money.of("-0.001", "USD").to_string() == "0.00"


def test_money_is_immutable() -> None:
    money = usd("1")
    with pytest.raises(AttributeError):
        money.amount = Decimal(2)  # type: ignore[misc]


# Money.of: any decimal, rounded


def test_of_strips_whitespace_and_rounds_half_even() -> None:
    assert Money.of("  12.345 ", "USD") == usd("12.34")
    assert Money.of("0.125", "USD").to_string() == "0.12"
    assert Money.of("0.135", "USD").to_string() == "0.14"
    assert Money.of("2.5", "JPY").to_string() == "2"


def test_of_takes_a_rounding_mode() -> None:
    assert Money.of("0.125", "USD", rounding=ROUND_HALF_UP).to_string() == "0.13"


def test_of_takes_ints_decimals_and_exponents() -> None:
    assert Money.of(5, "KWD").to_string() == "5.000"
    assert Money.of(Decimal("1.2345"), "KWD").to_string() == "1.234"
    assert Money.of("1.5e2", "USD").to_string() == "150.00"
    assert Money.of("-.5", "USD").to_string() == "-0.50"


@pytest.mark.parametrize("text", ["", "   "])
def test_of_refuses_empty_text(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(text, "USD")
    assert problem(error) == ("amount", "required")


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "12,50",
        "1_000",
        "١٢",  # Arabic-Indic digits: Decimal reads them, we do not
        "NaN",
        "nan",
        "Infinity",
        "-inf",
        "$5",
        "1e21",
        "1e-21",
        "1e99999999999999999999",
        "0." + "0" * 21 + "1",
        "1" * 65,
    ],
)
def test_of_refuses_text_that_is_not_a_plain_decimal(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(text, "USD")
    assert problem(error) == ("amount", "invalid")


def test_of_allows_15_integer_digits_and_no_more() -> None:
    assert Money.of("9" * 15, "USD").minor == int("9" * 15 + "00")
    assert Money.of("9" * 15 + ".999", "KWD").minor < 2**63
    for text in ["1" + "0" * 15, "999999999999999.995"]:
        with pytest.raises(ValidationError) as error:
            Money.of(text, "USD")
        assert problem(error) == ("amount", "too_large")


def test_of_refuses_floats() -> None:
    with pytest.raises(ValidationError) as error:
        Money.of(0.1, "USD")  # type: ignore[arg-type]
    assert problem(error) == ("amount", "float_not_allowed")


# Money.parse: strict, for what clients send


def test_parse_reads_an_exact_decimal_string() -> None:
    assert Money.parse("12.34", "USD") == usd("12.34")
    assert Money.parse("500", "JPY").to_string() == "500"
    assert Money.parse("12.340", "USD") == usd("12.34")  # trailing zeros lose nothing
    assert Money.parse("-12.34", "USD", signed=True) == usd("-12.34")


@pytest.mark.parametrize(
    "text",
    [
        "+5",
        " 12.5 ",
        "12.5 ",
        "1e2",
        "1E2",
        "-5",
        "12,50",
        "1 000",
        ".5",
        "5.",
        "1.2.3",
        "0x10",
        "١٢",
        "12_000",
        "NaN",
        "Infinity",
        "\t7",
        "7\n",
    ],
)
def test_parse_holds_clients_to_digits_and_one_decimal_point(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money.parse(text, "USD")
    assert problem(error) == ("amount", "invalid")
    assert "no sign, spaces or exponent" in error.value.message


@pytest.mark.parametrize("text", ["+5", "--5", "- 5", "-1e2", " -5"])
def test_a_signed_amount_takes_only_a_leading_minus(text: str) -> None:
    with pytest.raises(ValidationError) as error:
        Money.parse(text, "USD", signed=True)
    assert problem(error) == ("amount", "invalid")
    assert "no plus sign, spaces or exponent" in error.value.message


@pytest.mark.parametrize(
    ("text", "currency"), [("12.345", "USD"), ("500.5", "JPY"), ("1.2345", "IQD")]
)
def test_parse_refuses_more_decimals_than_the_currency_has(
    text: str, currency: str
) -> None:
    with pytest.raises(ValidationError) as error:
        Money.parse(text, currency)
    assert problem(error) == ("amount", "too_precise")


def test_parse_refuses_json_numbers() -> None:
    with pytest.raises(ValidationError) as error:
        Money.parse(12, "USD")  # type: ignore[arg-type]
    assert problem(error) == ("amount", "invalid")
    with pytest.raises(ValidationError) as error:
        Money.parse(12.5, "USD")  # type: ignore[arg-type]
    assert problem(error) == ("amount", "float_not_allowed")


# Minor units in and out


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        ("12.34", "USD", 1234),
        ("500", "JPY", 500),
        ("1.234", "KWD", 1234),
        ("1.234", "IQD", 1234),
        ("-0.01", "EUR", -1),
    ],
)
def test_minor_is_the_exact_integer(amount: str, currency: str, minor: int) -> None:
    money = Money.of(amount, currency)
    assert money.minor == minor
    assert Money.from_minor(minor, currency) == money


def test_from_minor_takes_only_ints() -> None:
    for units in [12.0, True, "12", Decimal(12)]:
        with pytest.raises(TypeError):
            Money.from_minor(units, "USD")  # type: ignore[arg-type]


def test_zero() -> None:
    assert Money.zero("KWD").to_string() == "0.000"
    assert Money.zero("jpy").is_zero()


# Arithmetic


def test_add_subtract_negate_abs() -> None:
    assert usd("1.10") + usd("2.20") == usd("3.30")
    assert usd("1.10") - usd("2.20") == usd("-1.10")
    assert -usd("1.10") == usd("-1.10")
    assert abs(usd("-1.10")) == usd("1.10")


def test_arithmetic_is_exact_whatever_the_thread_context() -> None:
    with localcontext() as context:
        context.prec = 3
        assert usd("12345.67") + usd("0.01") == usd("12345.68")
        assert usd("12345.67") * 3 == usd("37037.01")


@pytest.mark.parametrize(
    "operation",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a < b,
        lambda a, b: a <= b,
        lambda a, b: a > b,
        lambda a, b: a >= b,
    ],
)
def test_different_currencies_do_not_mix(operation: object) -> None:
    with pytest.raises(CurrencyMismatchError) as error:
        operation(usd("1"), Money.of("1", "EUR"))  # type: ignore[operator]
    assert isinstance(error.value, ValidationError)
    assert error.value.code == "CURRENCY_MISMATCH"
    assert error.value.currencies == ("USD", "EUR")


def test_money_does_not_mix_with_plain_numbers() -> None:
    with pytest.raises(TypeError):
        usd("1") + 1  # type: ignore[operator]
    with pytest.raises(TypeError):
        sorted([usd("1"), Decimal(2)])  # type: ignore[type-var]
    with pytest.raises(TypeError):
        usd("1") * Decimal("1.5")  # type: ignore[operator]
    with pytest.raises(TypeError):
        usd("1") * 1.5  # type: ignore[operator]


def test_equality_and_hash_are_by_currency_and_amount() -> None:
    assert Money(Decimal("1.5"), "USD") == usd("1.50")
    assert hash(Money(Decimal("1.5"), "USD")) == hash(usd("1.50"))
    assert usd("1") != Money.of("1", "EUR")
    assert len({usd("1"), usd("1.00"), Money.of("1", "EUR")}) == 2


def test_ordering() -> None:
    assert usd("1") < usd("2") <= usd("2") < usd("10")
    assert usd("-1") >= usd("-1") > usd("-2")
    assert sorted([usd("3"), usd("-1"), usd("2")]) == [usd("-1"), usd("2"), usd("3")]


def test_sign_checks() -> None:
    assert usd("0").is_zero() and not usd("0").is_positive()
    assert not usd("0").is_negative()
    assert usd("0.01").is_positive()
    assert usd("-0.01").is_negative()


def test_multiplying_by_a_whole_number_is_exact() -> None:
    assert usd("9.99") * 3 == usd("29.97")
    assert 3 * usd("9.99") == usd("29.97")
    assert usd("9.99") * -2 == usd("-19.98")


def test_multiply_by_a_decimal_rounds() -> None:
    assert usd("9.99").multiply(Decimal("0.075")) == usd("0.75")  # 0.74925
    assert usd("0.10").multiply(Decimal("0.25")) == usd("0.02")  # 0.025, half-even
    up = usd("0.10").multiply(Decimal("0.25"), rounding=ROUND_HALF_UP)
    assert up == usd("0.03")
    assert Money.of("100", "JPY").multiply(Decimal("0.333")).to_string() == "33"
    assert usd("2").multiply(3) == usd("6")


def test_multiply_refuses_floats_and_non_finite_factors() -> None:
    with pytest.raises(ValidationError) as error:
        usd("1").multiply(0.5)  # type: ignore[arg-type]
    assert problem(error) == ("amount", "float_not_allowed")
    with pytest.raises(ValidationError):
        usd("1").multiply(Decimal("NaN"))


def test_allocate_keeps_every_minor_unit() -> None:
    assert usd("100").allocate([1, 1, 1]) == [usd("33.34"), usd("33.33"), usd("33.33")]
    assert usd("-100").allocate([1, 1, 1]) == [
        usd("-33.34"),
        usd("-33.33"),
        usd("-33.33"),
    ]
    assert usd("0.05").allocate([3, 7]) == [usd("0.02"), usd("0.03")]
    assert usd("1").allocate([0, 1]) == [usd("0"), usd("1")]
    assert Money.of("10", "JPY").allocate([1, 2]) == [
        Money.of("3", "JPY"),
        Money.of("7", "JPY"),
    ]


def test_allocate_gives_leftovers_to_the_largest_remainders() -> None:
    # ideal shares 0.0333.., 0.0666..: the second has the larger remainder
    assert usd("0.10").allocate([1, 2]) == [usd("0.03"), usd("0.07")]


@pytest.mark.parametrize("ratios", [[], [0, 0], [1, -1], [1.5, 1], [True, 1]])
def test_allocate_refuses_bad_ratios(ratios: list[int]) -> None:
    with pytest.raises(ValidationError) as error:
        usd("1").allocate(ratios)
    assert problem(error) == ("ratios", "invalid")


def test_sum_money() -> None:
    assert sum_money([usd("1.10"), usd("2.20")], "usd") == usd("3.30")
    assert sum_money([], "JPY") == Money.zero("JPY")
    with pytest.raises(CurrencyMismatchError):
        sum_money([usd("1"), Money.of("1", "EUR")], "USD")


def test_sum_by_currency() -> None:
    totals = sum_by_currency(
        [usd("1"), Money.of("2", "EUR"), usd("-3.50"), Money.of("5", "JPY")]
    )
    assert totals == {
        "USD": usd("-2.50"),
        "EUR": Money.of("2", "EUR"),
        "JPY": Money.of("5", "JPY"),
    }
    assert list(totals) == ["USD", "EUR", "JPY"]
    assert sum_by_currency([]) == {}


# Text


@pytest.mark.parametrize(
    ("money", "text"),
    [
        (Money.of("1234.5", "EUR"), "1234.50"),
        (Money.of("500", "JPY"), "500"),
        (Money.of("-0.01", "USD"), "-0.01"),
        (Money.of("1.2", "KWD"), "1.200"),
        (Money.of("1" + "0" * 14, "USD"), "1" + "0" * 14 + ".00"),
    ],
)
def test_to_string_has_exactly_the_minor_unit_decimals(money: Money, text: str) -> None:
    assert money.to_string() == text


def test_str_and_as_dict() -> None:
    money = Money.of("1234.5", "EUR")
    assert str(money) == "1234.50 EUR"
    assert money.as_dict() == {"amount": "1234.50", "currency": "EUR"}


def test_format_for_people() -> None:
    # CLDR puts a no-break space between the number and the symbol
    assert Money.of("1234.5", "EUR").format("es") == "1.234,50\xa0€"
    assert Money.of("-1234.5", "USD").format("en-US") == "-$1,234.50"
    assert Money.of("500", "JPY").format("en") == "¥500"


def test_format_shows_our_minor_unit_not_cldr_digits() -> None:
    assert Money.of("1.234", "IQD").format("en") == "IQD1.234"


# Properties

CURRENCIES = st.sampled_from(["JPY", "KRW", "USD", "EUR", "KWD", "IQD", "CLF"])
MINOR = st.integers(min_value=-(10**13), max_value=10**13)


@st.composite
def moneys(draw: st.DrawFn, currency: str | None = None) -> Money:
    return Money.from_minor(draw(MINOR), currency or draw(CURRENCIES))


@given(MINOR, CURRENCIES)
def test_minor_units_round_trip(units: int, currency: str) -> None:
    assert Money.from_minor(units, currency).minor == units


@given(moneys())
def test_the_wire_form_round_trips(money: Money) -> None:
    assert Money.parse(money.to_string(), money.currency, signed=True) == money
    payload = money.as_dict()
    assert Money.parse(payload["amount"], payload["currency"], signed=True) == money


@given(CURRENCIES, MINOR, MINOR)
def test_subtracting_undoes_adding(currency: str, a: int, b: int) -> None:
    first = Money.from_minor(a, currency)
    second = Money.from_minor(b, currency)
    assert (first + second) - second == first
    assert (first + second).minor == a + b
    assert first + (-first) == Money.zero(currency)


@given(CURRENCIES, MINOR, MINOR)
def test_ordering_agrees_with_minor_units(currency: str, a: int, b: int) -> None:
    first, second = Money.from_minor(a, currency), Money.from_minor(b, currency)
    assert (first < second) == (a < b)
    assert (first >= second) == (a >= b)


@given(
    moneys(),
    st.lists(st.integers(min_value=0, max_value=1000), min_size=1, max_size=12),
)
def test_allocate_loses_nothing_and_stays_within_a_unit(
    money: Money, ratios: list[int]
) -> None:
    assume(sum(ratios) > 0)
    parts = money.allocate(ratios)
    assert sum_money(parts, money.currency) == money
    for part, ratio in zip(parts, ratios, strict=True):
        ideal = Fraction(money.minor * ratio, sum(ratios))
        assert abs(part.minor - ideal) < 1
        assert part.currency == money.currency


@given(
    CURRENCIES,
    st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
    st.integers(min_value=-12, max_value=0),
)
def test_rounding_is_within_half_a_minor_unit(
    currency: str, coefficient: int, exponent: int
) -> None:
    exact = Decimal(coefficient).scaleb(exponent)
    rounded = Money.of(exact, currency)
    half_unit = Decimal(1).scaleb(-minor_units(currency)) / 2
    assert abs(rounded.amount - exact) <= half_unit


@given(
    st.sampled_from(["JPY", "USD", "KWD"]),
    st.integers(min_value=-(10**10), max_value=10**10),
    st.integers(min_value=-1000, max_value=1000),
)
def test_whole_multiples_are_exact(currency: str, units: int, times: int) -> None:
    money = Money.from_minor(units, currency)
    assert (money * times).minor == units * times


FLOAT_DOORS: list[Callable[[Any, str], object]] = [
    Money,
    Money.of,
    Money.parse,
    lambda value, currency: Money.zero(currency).multiply(value),
]


@given(st.floats(allow_nan=True, allow_infinity=True), CURRENCIES)
def test_no_float_is_ever_accepted(value: float, currency: str) -> None:
    for door in FLOAT_DOORS:
        with pytest.raises(ValidationError) as error:
            door(value, currency)
        assert problem(error) == ("amount", "float_not_allowed")


@given(moneys())
def test_no_float_ever_leaves(money: Money) -> None:
    assert type(money.amount) is Decimal
    payload = json.loads(json.dumps(money.as_dict()))
    assert all(isinstance(value, str) for value in payload.values())
