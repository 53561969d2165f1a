"""Loan schedules: exact to the minor unit, dated monthly, re-planned by events."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.loans.domain.schedule import (
    ExtraEffect,
    ExtraPayment,
    LoanTerms,
    Method,
    RateChange,
    Row,
    build_schedule,
    interest_saved,
    monthly_interest,
    payment_date,
)
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money


def terms(
    principal: str = "10000.00",
    rate: str = "5",
    months: int = 12,
    method: Method = Method.ANNUITY,
    currency: str = "EUR",
    first: date = date(2026, 1, 31),
) -> LoanTerms:
    return LoanTerms(
        principal=Money.parse(principal, currency),
        annual_rate=Decimal(rate),
        term_months=months,
        first_payment_on=first,
        method=method,
    )


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def principals(rows: Sequence[Row]) -> Money:
    return sum((r.principal + r.extra for r in rows), eur("0"))


def test_the_check_case_annuity_of_ten_thousand_at_five_percent_over_a_year() -> None:
    schedule = build_schedule(terms())

    assert len(schedule.rows) == 12
    assert schedule.payment == eur("856.07")
    assert sum((r.principal for r in schedule.rows), eur("0")) == eur("10000.00")
    assert schedule.rows[0].interest == eur("41.67")
    assert schedule.rows[0].principal == eur("814.40")
    assert all(r.payment == eur("856.07") for r in schedule.rows[:-1])
    assert schedule.rows[-1].balance_after == eur("0.00")
    assert schedule.total_interest == sum((r.interest for r in schedule.rows), eur("0"))


def test_payment_dates_keep_the_anchor_day_through_short_months() -> None:
    first = date(2026, 1, 31)
    assert [payment_date(first, i) for i in range(4)] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert payment_date(date(2027, 12, 31), 2) == date(2028, 2, 29)


def test_linear_pays_the_same_principal_and_falling_interest() -> None:
    schedule = build_schedule(
        terms(principal="1000.00", months=3, method=Method.LINEAR)
    )
    assert [r.principal for r in schedule.rows] == [
        eur("333.33"),
        eur("333.33"),
        eur("333.34"),
    ]
    assert [r.interest for r in schedule.rows] == [
        eur("4.17"),
        eur("2.78"),
        eur("1.39"),
    ]


def test_interest_only_repays_the_principal_on_the_last_row() -> None:
    schedule = build_schedule(
        terms(principal="1200.00", rate="6", months=3, method=Method.INTEREST_ONLY)
    )
    assert [r.payment for r in schedule.rows] == [
        eur("6.00"),
        eur("6.00"),
        eur("1206.00"),
    ]


def test_zero_rate_and_a_currency_without_decimals() -> None:
    schedule = build_schedule(
        terms(principal="100000", rate="0", currency="JPY", months=3)
    )
    assert [r.principal.to_string() for r in schedule.rows] == [
        "33333",
        "33333",
        "33334",
    ]
    assert schedule.total_interest.is_zero()


def test_interest_rounds_half_even() -> None:
    # 1,500.00 at 1 % a year: 1.25 a month exactly; 1,530.00: 1.275 -> 1.28 (even 8).
    assert build_schedule(terms(principal="1530.00", rate="1", months=2)).rows[
        0
    ].interest == eur("1.28")
    # 1,518.00: 1.265 -> 1.26 (even 6), not 1.27.
    assert build_schedule(terms(principal="1518.00", rate="1", months=2)).rows[
        0
    ].interest == eur("1.26")


def test_an_extra_payment_with_shorter_term_keeps_the_payment() -> None:
    base = terms()
    extra = ExtraPayment(
        on=date(2026, 3, 31), amount=eur("2000.00"), effect=ExtraEffect.SHORTER_TERM
    )
    schedule = build_schedule(base, extras=[extra])

    assert schedule.rows[2].extra == eur("2000.00")
    assert len(schedule.rows) < 12
    assert all(r.payment == eur("856.07") for r in schedule.rows[:-1])
    assert principals(schedule.rows) == eur("10000.00")
    assert schedule.rows[-1].balance_after.is_zero()
    saved = interest_saved(base, extras=[], by=extra)
    assert saved == build_schedule(base).total_interest - schedule.total_interest
    assert saved.is_positive()


def test_an_extra_payment_with_lower_payment_keeps_the_end_date() -> None:
    extra = ExtraPayment(
        on=date(2026, 3, 31), amount=eur("2000.00"), effect=ExtraEffect.LOWER_PAYMENT
    )
    schedule = build_schedule(terms(), extras=[extra])

    assert len(schedule.rows) == 12
    assert schedule.payoff_date == date(2026, 12, 31)
    assert schedule.rows[3].payment < eur("856.07")
    assert principals(schedule.rows) == eur("10000.00")


def test_an_extra_payment_bigger_than_the_balance_pays_it_off() -> None:
    extra = ExtraPayment(
        on=date(2026, 1, 31), amount=eur("99999.00"), effect=ExtraEffect.SHORTER_TERM
    )
    schedule = build_schedule(terms(), extras=[extra])
    assert len(schedule.rows) == 1
    assert principals(schedule.rows) == eur("10000.00")


def test_a_rate_change_re_plans_the_payment_from_its_date() -> None:
    change = RateChange(on=date(2026, 7, 1), annual_rate=Decimal("8"))
    schedule = build_schedule(terms(), rate_changes=[change])

    assert schedule.rows[5].payment == eur("856.07")
    assert schedule.rows[6].payment > eur("856.07")
    assert len(schedule.rows) == 12
    assert schedule.rows[-1].balance_after.is_zero()
    assert sum((r.principal for r in schedule.rows), eur("0")) == eur("10000.00")


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("principal", {"principal": "0"}),
        ("annual_rate", {"rate": "-1"}),
        ("annual_rate", {"rate": "101"}),
        ("term_months", {"months": 0}),
        ("term_months", {"months": 601}),
    ],
)
def test_terms_are_refused_when_out_of_range(
    field: str, kwargs: dict[str, object]
) -> None:
    with pytest.raises(ValidationError) as refused:
        terms(**kwargs)  # type: ignore[arg-type]
    assert refused.value.details[0].field == field


amounts = st.integers(min_value=1, max_value=10**11)
rates = st.decimals(min_value=0, max_value=30, places=3, allow_nan=False)
months = st.integers(min_value=1, max_value=480)
methods = st.sampled_from(list(Method))
currencies = st.sampled_from(["EUR", "JPY", "KWD"])


def make(minor: int, rate: Decimal, n: int, method: Method, currency: str) -> LoanTerms:
    return LoanTerms(
        principal=Money.from_minor(minor, currency),
        annual_rate=rate,
        term_months=n,
        first_payment_on=date(2026, 1, 31),
        method=method,
    )


@settings(max_examples=150, deadline=None)
@given(amounts, rates, months, methods, currencies)
def test_principals_sum_exactly_and_balances_never_go_negative(
    minor: int, rate: Decimal, n: int, method: Method, currency: str
) -> None:
    loan = make(minor, rate, n, method, currency)
    schedule = build_schedule(loan)

    assert sum(r.principal.minor for r in schedule.rows) == minor
    assert all(not r.balance_after.is_negative() for r in schedule.rows)
    assert all(not r.principal.is_negative() for r in schedule.rows)
    assert schedule.rows[-1].balance_after.is_zero()
    assert len(schedule.rows) <= n


@settings(max_examples=150, deadline=None)
@given(amounts, rates.filter(lambda r: r > 0), months)
def test_annuity_payment_matches_the_formula_rounded(
    minor: int, rate: Decimal, n: int
) -> None:
    schedule = build_schedule(make(minor, rate, n, Method.ANNUITY, "EUR"))
    with localcontext() as context:
        context.prec = 80
        r = rate / 1200
        formula = Decimal(minor) * r / (1 - (1 + r) ** -n)
    expected = int(formula.quantize(Decimal(1)))  # half-even, the context default
    if n > 1:
        assert schedule.rows[0].payment.minor == expected


@settings(max_examples=100, deadline=None)
@given(
    amounts,
    rates,
    st.integers(min_value=2, max_value=240),
    methods,
    st.integers(min_value=0, max_value=240),
    st.integers(min_value=1, max_value=10**11),
    st.sampled_from(list(ExtraEffect)),
    st.integers(min_value=0, max_value=240),
    rates,
)
def test_re_planned_schedules_still_add_up(
    minor: int,
    rate: Decimal,
    n: int,
    method: Method,
    extra_month: int,
    extra_minor: int,
    effect: ExtraEffect,
    change_month: int,
    new_rate: Decimal,
) -> None:
    loan = make(minor, rate, n, method, "EUR")
    extra = ExtraPayment(
        on=payment_date(loan.first_payment_on, extra_month),
        amount=Money.from_minor(extra_minor, "EUR"),
        effect=effect,
    )
    change = RateChange(
        on=payment_date(loan.first_payment_on, change_month), annual_rate=new_rate
    )
    schedule = build_schedule(loan, extras=[extra], rate_changes=[change])

    paid = sum(r.principal.minor + r.extra.minor for r in schedule.rows)
    assert paid + schedule.paid_before_first.minor == minor
    assert all(not r.balance_after.is_negative() for r in schedule.rows)
    assert schedule.rows[-1].balance_after.is_zero()
    assert len(schedule.rows) <= n


@given(st.integers(min_value=0, max_value=10**15), rates)
def test_monthly_interest_is_the_decimal_figure_rounded_half_even(
    balance: int, rate: Decimal
) -> None:
    with localcontext() as context:
        context.prec = 80
        expected = (Decimal(balance) * rate / 1200).quantize(Decimal(1))
    assert monthly_interest(balance, rate) == int(expected)


def test_a_loan_settled_before_its_first_payment_has_no_rows() -> None:
    extra = ExtraPayment(
        on=date(2026, 1, 10), amount=eur("10000.00"), effect=ExtraEffect.SHORTER_TERM
    )
    schedule = build_schedule(terms(), extras=[extra])

    assert schedule.rows == ()
    assert schedule.paid_before_first == eur("10000.00")
    assert schedule.payoff_date == date(2026, 1, 10)
    assert schedule.payment.is_zero() and schedule.total_interest.is_zero()
    assert schedule.balance_before(1).is_zero()
