"""Loan use cases against in-memory ports: taking out, paying, paying extra and
changing the rate, without a database."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date
from uuid import UUID

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from modules.loans.application import use_cases
from modules.loans.application.use_cases import (
    ChangeRate,
    CreateLoan,
    RecordExtraPayment,
    RecordPayment,
    UpdateLoan,
)
from modules.loans.domain.loans import Loan, RecordedPayment
from modules.loans.domain.schedule import ExtraEffect, ExtraPayment, Method, RateChange
from modules.shared.domain.errors import NotFoundError, ValidationError
from modules.shared.domain.money import Money
from tests.unit.fakes import FakeTransaction, FixedClock


class FakeLoans:
    def __init__(self) -> None:
        self.by_id: dict[UUID, Loan] = {}

    def add(self, loan: Loan) -> None:
        self.by_id[loan.id] = loan

    def get(self, loan_id: UUID) -> Loan | None:
        return self.by_id.get(loan_id)

    def save(self, loan: Loan) -> None:
        self.by_id[loan.id] = loan

    def add_payment(self, loan_id: UUID, payment: RecordedPayment) -> None:
        loan = self.by_id[loan_id]
        self.by_id[loan_id] = replace(loan, payments=(*loan.payments, payment))

    def add_extra(self, loan_id: UUID, extra: ExtraPayment, entry_id: UUID) -> None:
        loan = self.by_id[loan_id]
        self.by_id[loan_id] = replace(loan, extras=(*loan.extras, extra))

    def add_rate_change(self, loan_id: UUID, change: RateChange) -> None:
        loan = self.by_id[loan_id]
        self.by_id[loan_id] = replace(loan, rate_changes=(*loan.rate_changes, change))


class FakeAccounts:
    def __init__(self) -> None:
        self.currencies: dict[UUID, str] = {}
        self.owed: dict[UUID, tuple[Money, date]] = {}
        self.archived: set[UUID] = set()

    def open_liability(self, *, name: str, owed: Money, on: date) -> UUID:
        account_id = uuid.uuid4()
        self.currencies[account_id] = owed.currency
        self.owed[account_id] = (owed, on)
        return account_id

    def currency_of(self, account_id: UUID) -> str | None:
        return self.currencies.get(account_id)

    def archive(self, account_id: UUID) -> None:
        self.archived.add(account_id)


class FakeLedger:
    def __init__(self) -> None:
        self.categories: dict[str, UUID] = {}
        self.paid: list[dict[str, object]] = []

    def expense_category(self, name: str) -> UUID:
        return self.categories.setdefault(name, uuid.uuid4())

    def pay(self, **payment: object) -> UUID:
        self.paid.append(payment)
        return uuid.uuid4()


class FakeUnitOfWork(FakeTransaction):
    def __init__(self) -> None:
        super().__init__()
        self.loans = FakeLoans()
        self.accounts = FakeAccounts()
        self.ledger = FakeLedger()
        self.clock = FixedClock()
        self.today = date(2026, 1, 1)

    def owner_today(self) -> date:
        return self.today


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def eur(text: str) -> Money:
    return Money.parse(text, "EUR")


def take_out(uow: FakeUnitOfWork, **more: object) -> Loan:
    bank = uuid.uuid4()
    uow.accounts.currencies[bank] = "EUR"
    command = CreateLoan(
        name="  Car   loan ",
        currency="eur",
        principal="10000.00",
        annual_rate="5",
        term_months=12,
        first_payment_on=date(2026, 1, 31),
        method=Method.ANNUITY,
        paid_from_id=bank,
        interest_category_name="Interest",
    )
    return use_cases.create_loan(uow=uow, command=replace(command, **more))  # type: ignore[arg-type]


def pay(uow: FakeUnitOfWork, loan: Loan, on: date, **more: object) -> RecordedPayment:
    return use_cases.record_payment(
        uow=uow,
        command=RecordPayment(loan_id=loan.id, on=on, **more),  # type: ignore[arg-type]
    )


def test_taking_out_a_loan_opens_its_account_owing_the_principal(
    uow: FakeUnitOfWork,
) -> None:
    loan = take_out(uow)

    assert loan.name == "Car loan"
    assert uow.accounts.owed[loan.account_id] == (eur("10000.00"), date(2025, 12, 31))
    assert loan.interest_category_id == uow.ledger.categories["Interest"]
    assert loan.schedule().payment == eur("856.07")
    assert uow.loans.get(loan.id) == loan


def test_a_loan_is_paid_from_an_account_in_its_currency(uow: FakeUnitOfWork) -> None:
    dollars = uuid.uuid4()
    uow.accounts.currencies[dollars] = "USD"
    with pytest.raises(ValidationError) as refused:
        take_out(uow, paid_from_id=dollars)
    assert refused.value.details[0].code == "currency_mismatch"
    with pytest.raises(ValidationError):
        take_out(uow, paid_from_id=uuid.uuid4())
    assert uow.loans.by_id == {}


@pytest.mark.parametrize("rate", ["abc", "4.12345", "-1", "NaN", "Infinity"])
def test_the_rate_is_a_plain_percentage(uow: FakeUnitOfWork, rate: str) -> None:
    with pytest.raises(ValidationError) as refused:
        take_out(uow, annual_rate=rate)
    assert refused.value.details[0].field == "annual_rate"


def test_a_payment_books_the_next_row_split_into_principal_and_interest(
    uow: FakeUnitOfWork,
) -> None:
    loan = take_out(uow)

    payment = pay(uow, loan, date(2026, 1, 31), amount="856.07")

    assert (payment.number, payment.principal, payment.interest) == (
        1,
        eur("814.40"),
        eur("41.67"),
    )
    (booked,) = uow.ledger.paid
    assert booked["principal"] == eur("814.40")
    assert booked["interest"] == eur("41.67")
    assert booked["loan_account_id"] == loan.account_id
    assert pay(uow, loan, date(2026, 2, 28)).number == 2


def test_a_payment_of_another_amount_is_refused(uow: FakeUnitOfWork) -> None:
    loan = take_out(uow)
    with pytest.raises(ValidationError) as refused:
        pay(uow, loan, date(2026, 1, 31), amount="900.00")
    assert refused.value.details[0].code == "not_the_payment_due"
    assert uow.ledger.paid == []


def test_a_payment_with_an_extra_re_plans_the_rest(uow: FakeUnitOfWork) -> None:
    loan = take_out(uow)
    pay(
        uow,
        loan,
        date(2026, 1, 31),
        extra="3000.00",
        extra_effect=ExtraEffect.SHORTER_TERM,
    )

    (booked,) = uow.ledger.paid
    assert booked["principal"] == eur("3814.40")
    after = uow.loans.by_id[loan.id]
    assert len(after.schedule().rows) < 12
    assert after.outstanding() == eur("6185.60")
    assert after.interest_saved().is_positive()
    first = after.schedule().rows[0]
    assert (first.principal, first.interest) == (eur("814.40"), eur("41.67"))
    assert first.extra == eur("3000.00")


def test_an_extra_payment_alone_pays_principal_only(uow: FakeUnitOfWork) -> None:
    loan = take_out(uow)
    use_cases.record_extra_payment(
        uow=uow,
        command=RecordExtraPayment(
            loan_id=loan.id,
            on=date(2026, 1, 10),
            amount="1000.00",
            effect=ExtraEffect.LOWER_PAYMENT,
        ),
    )
    (booked,) = uow.ledger.paid
    assert (booked["principal"], booked["interest"]) == (eur("1000.00"), eur("0.00"))
    after = uow.loans.by_id[loan.id].schedule()
    assert len(after.rows) == 12 and after.payment < eur("856.07")
    with pytest.raises(ValidationError) as refused:
        use_cases.record_extra_payment(
            uow=uow,
            command=RecordExtraPayment(
                loan_id=loan.id,
                on=date(2026, 1, 10),
                amount="9000.01",
                effect=ExtraEffect.LOWER_PAYMENT,
            ),
        )
    assert refused.value.details[0].code == "more_than_owed"


def test_a_rate_change_starts_after_the_last_recorded_payment(
    uow: FakeUnitOfWork,
) -> None:
    loan = take_out(uow)
    pay(uow, loan, date(2026, 1, 31))
    with pytest.raises(ValidationError):
        use_cases.change_rate(
            uow=uow,
            command=ChangeRate(loan_id=loan.id, on=date(2026, 1, 31), annual_rate="7"),
        )
    use_cases.change_rate(
        uow=uow,
        command=ChangeRate(loan_id=loan.id, on=date(2026, 2, 1), annual_rate="7"),
    )
    after = uow.loans.by_id[loan.id].schedule()
    assert after.rows[0].payment == eur("856.07")
    assert after.rows[1].payment > eur("856.07")


def test_a_paid_off_loan_takes_no_more_payments(uow: FakeUnitOfWork) -> None:
    loan = take_out(uow, term_months=1)
    pay(uow, loan, date(2026, 1, 31))
    with pytest.raises(ValidationError) as refused:
        pay(uow, loan, date(2026, 2, 28))
    assert refused.value.code == "LOAN_PAID_OFF"


def test_a_loan_without_a_paying_account_cannot_be_paid(uow: FakeUnitOfWork) -> None:
    loan = take_out(uow, paid_from_id=None)
    with pytest.raises(ValidationError) as refused:
        pay(uow, loan, date(2026, 1, 31))
    assert refused.value.details[0].field == "paid_from"


def test_archiving_a_loan_archives_its_account(uow: FakeUnitOfWork) -> None:
    loan = take_out(uow)
    updated = use_cases.update_loan(
        uow=uow, command=UpdateLoan(loan_id=loan.id, archived=True, name="Old car")
    )
    assert updated.archived_at is not None and updated.name == "Old car"
    assert uow.accounts.archived == {loan.account_id}


def test_an_unknown_loan_is_not_found(uow: FakeUnitOfWork) -> None:
    with pytest.raises(NotFoundError):
        pay(uow, replace(take_out(uow), id=uuid.uuid4()), date(2026, 1, 31))


def recur(uow: FakeUnitOfWork, loan: Loan, on: bool = True) -> Loan:
    return use_cases.update_loan(
        uow=uow, command=UpdateLoan(loan_id=loan.id, recurring_payments=on)
    )


def sweep(uow: FakeUnitOfWork, loan: Loan) -> int:
    return use_cases.record_due_payments(uow=uow, loan_id=loan.id)


def test_recurring_payments_record_each_row_due_on_its_own_date(
    uow: FakeUnitOfWork,
) -> None:
    loan = take_out(uow)
    uow.today = date(2026, 2, 27)

    assert recur(uow, loan).recurring_payments is True

    (first,) = uow.ledger.paid
    assert first["on"] == date(2026, 1, 31)
    assert (first["principal"], first["interest"]) == (eur("814.40"), eur("41.67"))
    assert sweep(uow, loan) == 0  # the 28 Feb payment is not due yet
    uow.today = date(2026, 2, 28)
    assert sweep(uow, loan) == 1
    assert sweep(uow, loan) == 0  # once per date, however often the sweep runs
    recorded = uow.loans.by_id[loan.id].payments
    assert [(p.number, p.paid_on) for p in recorded] == [
        (1, date(2026, 1, 31)),
        (2, date(2026, 2, 28)),
    ]


def test_the_sweep_catches_up_after_downtime(uow: FakeUnitOfWork) -> None:
    loan = recur(uow, take_out(uow))
    assert uow.ledger.paid == []  # nothing due on 1 January yet

    uow.today = date(2026, 6, 15)  # nobody swept for five months
    assert sweep(uow, loan) == 5

    assert [booked["on"] for booked in uow.ledger.paid] == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
        date(2026, 5, 31),
    ]
    assert uow.loans.by_id[loan.id].next_row().number == 6  # type: ignore[union-attr]


def test_recurring_payments_stop_when_turned_off_or_archived(
    uow: FakeUnitOfWork,
) -> None:
    loan = recur(uow, take_out(uow))
    recur(uow, loan, on=False)
    uow.today = date(2026, 3, 1)
    assert sweep(uow, loan) == 0
    recur(uow, loan)
    use_cases.update_loan(uow=uow, command=UpdateLoan(loan_id=loan.id, archived=True))
    uow.today = date(2026, 5, 1)
    assert sweep(uow, loan) == 0
    assert len(uow.ledger.paid) == 2  # January and February, when turned on again


def test_recurring_payments_need_a_paying_account(uow: FakeUnitOfWork) -> None:
    loan = take_out(uow, paid_from_id=None)
    with pytest.raises(ValidationError) as refused:
        recur(uow, loan)
    assert refused.value.details[0].field == "paid_from"
    assert uow.loans.by_id[loan.id].recurring_payments is False
    with_bank = recur(uow, take_out(uow))
    with pytest.raises(ValidationError):
        use_cases.update_loan(
            uow=uow, command=UpdateLoan(loan_id=with_bank.id, paid_from_id=None)
        )


@settings(max_examples=60, deadline=None)
@given(
    principal_minor=st.integers(min_value=1, max_value=100_000_000),
    rate=st.decimals(min_value=0, max_value=25, places=2),
    term=st.integers(min_value=1, max_value=120),
    method=st.sampled_from(list(Method)),
)
def test_recurring_payments_bring_the_liability_to_exactly_zero(
    principal_minor: int, rate: object, term: int, method: Method
) -> None:
    uow = FakeUnitOfWork()
    principal = Money.from_minor(principal_minor, "EUR")
    loan = take_out(
        uow,
        principal=principal.to_string(),
        annual_rate=str(rate),
        term_months=term,
        method=method,
    )
    uow.today = date(2037, 1, 1)  # after the last payment of any of these loans

    recur(uow, loan)

    paid_off = sum(
        (booked["principal"] for booked in uow.ledger.paid),  # type: ignore[misc]
        Money.zero("EUR"),
    )
    assert paid_off == principal  # the liability: principal less what was paid
    after = uow.loans.by_id[loan.id]
    assert after.outstanding() == Money.zero("EUR")
    assert after.next_row() is None
    assert len(after.payments) == len(after.schedule().rows)
    assert sweep(uow, loan) == 0
