"""The forecast's arithmetic and when a payment pays a bill."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from modules.accounts.domain.rates import Rate, RateBook
from modules.recurring.domain.bills import (
    BillState,
    ExpectedBill,
    OccurrenceStatus,
    Payment,
    best_match,
    bill_state,
    pays,
)
from modules.recurring.domain.forecasts import (
    DayBalance,
    Movement,
    combine,
    in_base,
    project,
)
from modules.shared.domain.money import Money

TODAY = date(2027, 2, 10)


def eur(text: str) -> Money:
    return Money.of(text, "EUR")


def test_the_balance_drops_by_the_amount_on_the_occurrence_day() -> None:
    forecast = project(
        opening=eur("500.00"),
        today=TODAY,
        days=30,
        movements=[Movement(on=date(2027, 2, 28), amount=eur("-187.60"))],
        buffer=eur("350.00"),
    )
    by_day = {d.on: d.balance for d in forecast.days}
    assert len(forecast.days) == 31
    assert by_day[date(2027, 2, 27)] == eur("500.00")
    assert by_day[date(2027, 2, 28)] == eur("312.40")
    assert forecast.lowest.on == date(2027, 2, 28)
    assert forecast.lowest.balance == eur("312.40")
    assert forecast.below_zero == []
    assert forecast.below_buffer[0] == date(2027, 2, 28)
    assert len(forecast.below_buffer) == 13  # 28 Feb to 12 Mar


@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(-100_000, 100_000)), max_size=30
    ),
    st.integers(-50_000, 50_000),
)
def test_the_last_day_is_the_opening_plus_every_movement_in_the_window(
    moves: list[tuple[int, int]], opening: int
) -> None:
    movements = [
        Movement(on=TODAY + timedelta(days=d), amount=Money.from_minor(m, "EUR"))
        for d, m in moves
    ]
    forecast = project(
        opening=Money.from_minor(opening, "EUR"),
        today=TODAY,
        days=30,
        movements=movements,
    )
    inside = sum(m for d, m in moves if d <= 30)
    assert forecast.days[-1].balance.minor == opening + inside
    assert forecast.lowest.balance.minor == min(d.balance.minor for d in forecast.days)
    assert forecast.below_zero == [d.on for d in forecast.days if d.balance.minor < 0]


def test_all_accounts_are_grouped_by_currency_never_added_across() -> None:
    def one(currency: str, opening: int, move: int) -> object:
        return project(
            opening=Money.from_minor(opening, currency),
            today=TODAY,
            days=30,
            movements=[
                Movement(
                    on=TODAY + timedelta(days=5),
                    amount=Money.from_minor(move, currency),
                )
            ],
        )

    groups = combine(
        [one("EUR", 1000, -300), one("USD", 50, 0), one("EUR", 200, -100)],  # type: ignore[list-item]
    )
    assert [g.currency for g in groups] == ["EUR", "USD"]
    assert groups[0].days[0].balance.minor == 1200
    assert groups[0].days[-1].balance.minor == 800


ACCOUNT = uuid.uuid4()
BILL = ExpectedBill(
    account_id=ACCOUNT,
    amount_minor=4999,
    currency="EUR",
    payee="Power Co",
    due_on=TODAY,
)


@pytest.mark.parametrize(
    ("change", "matches"),
    [
        ({}, True),
        ({"payee": "  power   co "}, True),
        ({"on": TODAY + timedelta(days=3)}, True),
        ({"on": TODAY - timedelta(days=3)}, True),
        ({"on": TODAY + timedelta(days=4)}, False),
        ({"amount_minor": 5000}, False),
        ({"payee": "Water Co"}, False),
        ({"account_id": uuid.uuid4()}, False),
        ({"currency": "USD"}, False),
    ],
)
def test_a_payment_pays_a_bill_on_account_amount_payee_within_three_days(
    change: dict[str, object], matches: bool
) -> None:
    fields: dict[str, object] = {
        "account_id": ACCOUNT,
        "amount_minor": 4999,
        "currency": "EUR",
        "payee": "Power Co",
        "on": TODAY,
    } | change
    assert pays(Payment(**fields), BILL) is matches  # type: ignore[arg-type]


def test_the_closest_bill_is_the_one_paid() -> None:
    later = ExpectedBill(**{**BILL.__dict__, "due_on": TODAY + timedelta(days=2)})
    payment = Payment(
        account_id=ACCOUNT,
        amount_minor=4999,
        currency="EUR",
        payee="Power Co",
        on=TODAY + timedelta(days=2),
    )
    assert best_match(payment, [BILL, later]) == later


def test_an_unpaid_bill_past_its_date_is_overdue() -> None:
    assert bill_state(OccurrenceStatus.EXPECTED, TODAY, TODAY) is BillState.UPCOMING
    assert (
        bill_state(OccurrenceStatus.EXPECTED, TODAY - timedelta(days=1), TODAY)
        is BillState.OVERDUE
    )
    assert bill_state(OccurrenceStatus.PAID, TODAY - timedelta(days=9), TODAY) is (
        BillState.PAID
    )


@given(st.integers(-(10**14), 10**14), st.sampled_from(["EUR", "JPY", "KWD"]))
def test_a_days_amount_text_is_the_money_wire_form(minor: int, currency: str) -> None:
    day = DayBalance(on=TODAY, minor=minor, currency=currency)
    assert day.amount_text() == Money.from_minor(minor, currency).to_string()
    assert day.balance == Money.from_minor(minor, currency)


def test_all_accounts_in_the_base_currency_at_the_rate_of_each_day() -> None:
    today = date(2026, 12, 1)
    euros = project(
        opening=Money.parse("100.00", "EUR"), today=today, days=3, movements=[]
    )
    dollars = project(
        opening=Money.parse("10.01", "USD"),
        today=today,
        days=3,
        movements=[
            Movement(
                on=date(2026, 12, 3),
                amount=Money.zero("USD") - Money.parse("20.00", "USD"),
            )
        ],
    )
    book = RateBook(
        [
            Rate(base="EUR", quote="USD", day=date(2026, 11, 30), rate=Decimal("1.1")),
            Rate(base="EUR", quote="USD", day=date(2026, 12, 2), rate=Decimal("1.25")),
        ]
    )

    shown = in_base(
        combine([euros, dollars]),
        base="EUR",
        rates=book,
        buffer=Money.parse("95.00", "EUR"),
    )

    assert shown.missing == ()
    assert shown.forecast is not None
    # 10.01 / 1.1 = 9.10; from 2 Dec at 1.25: 8.008 -> 8.01; -9.99 -> -7.992 -> -7.99
    assert [d.balance.to_string() for d in shown.forecast.days] == [
        "109.10",
        "108.01",
        "92.01",
        "92.01",
    ]
    assert shown.forecast.below_buffer == [date(2026, 12, 3), date(2026, 12, 4)]


def test_a_missing_rate_leaves_the_base_total_empty_and_names_it() -> None:
    today = date(2026, 12, 1)
    groups = combine(
        [
            project(opening=Money.parse(text, code), today=today, days=2, movements=[])
            for text, code in (("1.00", "EUR"), ("1.00", "USD"), ("1.00", "GBP"))
        ]
    )
    # a USD rate from tomorrow only: today has none, so none is guessed
    book = RateBook(
        [Rate(base="EUR", quote="USD", day=date(2026, 12, 2), rate=Decimal("1.1"))]
    )
    shown = in_base(groups, base="EUR", rates=book)
    assert shown.forecast is None
    assert shown.missing == ("GBP", "USD")
    only_euros = in_base(groups[:1], base="EUR", rates=None)
    assert only_euros.forecast is not None and only_euros.missing == ()
