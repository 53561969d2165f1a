"""Exchange rates in plain Python: the rate of the day or the last before it, said
with its date and source; inverse and cross rates; exact conversion; the ECB CSV."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.accounts.domain.rates import (
    PERSON,
    Rate,
    RateBook,
    checked_pair,
    parse_rate,
    rates_from_reference_csv,
)
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money


def ecb(quote: str, day: date, rate: str) -> Rate:
    return Rate(base="EUR", quote=quote, day=day, rate=Decimal(rate), source="ECB")


BOOK = RateBook(
    [
        ecb("USD", date(2026, 11, 2), "1.0500"),
        ecb("USD", date(2026, 11, 3), "1.1000"),
        ecb("JPY", date(2026, 11, 2), "160.00"),
        ecb("KWD", date(2026, 11, 2), "0.3300"),
    ]
)


def test_the_rate_of_the_day_or_the_last_before_it_and_which() -> None:
    on_the_day = BOOK.quote("EUR", "USD", date(2026, 11, 3))
    assert on_the_day is not None
    assert (on_the_day.rate, on_the_day.day, on_the_day.source) == (
        Decimal("1.1"),
        date(2026, 11, 3),
        "ECB",
    )
    weekend = BOOK.quote("EUR", "USD", date(2026, 11, 8))
    assert weekend is not None and weekend.day == date(2026, 11, 3)
    assert BOOK.convert(Money.of("100.00", "EUR"), "USD", date(2026, 11, 2)) == (
        Money.of("105.00", "USD")
    )


def test_a_missing_rate_is_none_never_a_guess() -> None:
    assert BOOK.quote("EUR", "USD", date(2026, 11, 1)) is None
    assert BOOK.quote("EUR", "GBP", date(2026, 11, 30)) is None
    assert BOOK.convert(Money.of("1.00", "GBP"), "EUR", date(2026, 11, 30)) is None


def test_the_inverse_divides_exactly_and_rounds_once_half_even() -> None:
    usd = BOOK.convert(Money.of("100.00", "USD"), "EUR", date(2026, 11, 2))
    assert usd == Money.of("95.24", "EUR")  # 100 / 1.05 = 95.238...
    assert BOOK.convert(Money.of("0.05", "USD"), "EUR", date(2026, 11, 3)) == (
        Money.of("0.05", "EUR")  # 0.04545... rounds to 0.05
    )


def test_cross_rates_go_through_the_pivot_with_the_older_date() -> None:
    quote = BOOK.quote("USD", "JPY", date(2026, 11, 5))
    assert quote is not None and quote.day == date(2026, 11, 2)  # JPY's is older
    # 10.00 USD * 160 / 1.10 = 1454.545... JPY, no minor unit
    assert quote.convert(Money.of("10.00", "USD")) == Money.of("1455", "JPY")
    kwd = BOOK.convert(Money.of("1000", "JPY"), "KWD", date(2026, 11, 2))
    assert kwd == Money.of("2.062", "KWD")  # 1000 * 0.33 / 160 = 2.0625: half-even


def test_the_persons_own_rate_wins_on_its_day() -> None:
    mine = Rate(base="EUR", quote="USD", day=date(2026, 11, 3), rate=Decimal("1.2"))
    book = RateBook([ecb("USD", date(2026, 11, 3), "1.1"), mine])
    quote = book.quote("EUR", "USD", date(2026, 11, 3))
    assert quote is not None and (quote.rate, quote.source) == (Decimal("1.2"), PERSON)


def test_a_direct_rate_wins_over_a_cross_rate_of_the_same_day() -> None:
    book = RateBook(
        [
            ecb("USD", date(2026, 11, 3), "1.1"),
            ecb("GBP", date(2026, 11, 3), "0.88"),
            Rate(base="USD", quote="GBP", day=date(2026, 11, 3), rate=Decimal("0.7")),
        ]
    )
    quote = book.quote("USD", "GBP", date(2026, 11, 3))
    assert quote is not None and quote.rate == Decimal("0.7")


def test_the_same_currency_is_one() -> None:
    assert BOOK.convert(Money.of("12.34", "EUR"), "EUR", date(2000, 1, 1)) == (
        Money.of("12.34", "EUR")
    )


@given(
    st.integers(min_value=-(10**12), max_value=10**12),
    st.decimals(min_value="0.0001", max_value="1000", places=4),
)
def test_conversion_is_the_exact_product_rounded_half_even(
    minor: int, rate: Decimal
) -> None:
    book = RateBook([ecb("USD", date(2026, 1, 1), str(rate))])
    amount = Money.from_minor(minor, "EUR")
    assert book.convert(amount, "USD", date(2026, 1, 1)) == Money.of(
        amount.amount * rate, "USD"
    )


@pytest.mark.parametrize("text", ["0", "-1.2", "abc", "1e5", "NaN", "1.0000000000001"])
def test_a_rate_must_be_a_positive_decimal(text: str) -> None:
    with pytest.raises(ValidationError):
        parse_rate(text)


def test_a_pair_is_two_known_different_currencies() -> None:
    assert checked_pair("eur", "usd") == ("EUR", "USD")
    with pytest.raises(ValidationError):
        checked_pair("EUR", "EUR")
    with pytest.raises(ValidationError):
        checked_pair("EUR", "XYZ")


def test_the_ecb_daily_file_is_read() -> None:
    rows = [
        ["Date", " USD", " JPY", " CYP", ""],
        ["02 December 2026", " 1.0500", " 160.12", " N/A", ""],
    ]
    parsed = rates_from_reference_csv(rows)
    assert [(r.quote, r.day, r.rate, r.source) for r in parsed.rates] == [
        ("USD", date(2026, 12, 2), Decimal("1.0500"), "ECB"),
        ("JPY", date(2026, 12, 2), Decimal("160.12"), "ECB"),
    ]
    assert parsed.skipped == 1


def test_the_ecb_history_file_is_read() -> None:
    rows = [
        ["Date", "USD", "GBP"],
        ["2026-12-02", "1.05", "N/A"],
        ["2026-12-01", "1.04", "0.87"],
        [],
    ]
    parsed = rates_from_reference_csv(rows)
    assert len(parsed.rates) == 3 and parsed.skipped == 1


@pytest.mark.parametrize(
    "rows", [[], [["Day", "USD"]], [["Date", "USD"], ["yesterday", "1.1"]]]
)
def test_a_file_in_another_layout_is_refused(rows: list[list[str]]) -> None:
    with pytest.raises(ValidationError):
        rates_from_reference_csv(rows)
