"""Taking out a loan, paying it, paying extra, and changing its rate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from uuid import UUID

from modules.loans.application.ports import UnitOfWork
from modules.loans.domain import loans as rules
from modules.loans.domain.loans import Loan, RecordedPayment
from modules.loans.domain.schedule import (
    ExtraEffect,
    LoanTerms,
    Method,
    check_rate,
    payment_date,
)
from modules.shared.application.commands import (
    UNCHANGED,
    Unchanged,
    archived_at,
    given,
)
from modules.shared.domain.errors import FieldProblem, NotFoundError, ValidationError
from modules.shared.domain.money import Money, normalize_currency
from modules.shared.domain.text import gettext_noop


@dataclass(frozen=True, kw_only=True)
class CreateLoan:
    name: str
    currency: str
    principal: str
    annual_rate: str
    term_months: int
    first_payment_on: date
    method: Method
    paid_from_id: UUID | None = None
    interest_category_name: str  # "Interest", in the person's language


@dataclass(frozen=True, kw_only=True)
class UpdateLoan:
    loan_id: UUID
    name: str | Unchanged = UNCHANGED
    paid_from_id: UUID | Unchanged | None = UNCHANGED
    recurring_payments: bool | Unchanged = UNCHANGED
    archived: bool | Unchanged = UNCHANGED


@dataclass(frozen=True, kw_only=True)
class RecordPayment:
    loan_id: UUID
    on: date
    amount: str | None = None
    extra: str | None = None
    extra_effect: ExtraEffect = ExtraEffect.SHORTER_TERM


@dataclass(frozen=True, kw_only=True)
class RecordExtraPayment:
    loan_id: UUID
    on: date
    amount: str
    effect: ExtraEffect


@dataclass(frozen=True, kw_only=True)
class ChangeRate:
    loan_id: UUID
    on: date
    annual_rate: str


def create_loan(*, uow: UnitOfWork, command: CreateLoan) -> Loan:
    """The loan and its liability account, owing the principal from a month before
    the first payment, in one transaction."""
    currency = normalize_currency(command.currency)
    terms = LoanTerms(
        principal=parse_money(command.principal, currency, "principal"),
        annual_rate=parse_rate(command.annual_rate),
        term_months=command.term_months,
        first_payment_on=command.first_payment_on,
        method=command.method,
    )
    name = _clean_name(command.name)
    with uow:
        if command.paid_from_id is not None:
            _check_paid_from(uow, command.paid_from_id, currency)
        account_id = uow.accounts.open_liability(
            name=name,
            owed=terms.principal,
            on=payment_date(terms.first_payment_on, -1),
        )
        loan = Loan(
            id=uuid.uuid4(),
            name=name,
            account_id=account_id,
            paid_from_id=command.paid_from_id,
            interest_category_id=uow.ledger.expense_category(
                command.interest_category_name
            ),
            terms=terms,
        )
        uow.loans.add(loan)
    return loan


def update_loan(*, uow: UnitOfWork, command: UpdateLoan) -> Loan:
    """Rename, change the paying account, make payments recurring (the payments due
    by today are recorded at once), archive (with its account) or restore."""
    with uow:
        loan = _get(uow, command.loan_id)
        paid_from = given(command.paid_from_id, loan.paid_from_id)
        if paid_from is not None and paid_from != loan.paid_from_id:
            _check_paid_from(uow, paid_from, loan.currency)
        updated = replace(
            loan,
            name=_clean_name(given(command.name, loan.name)),
            paid_from_id=paid_from,
            recurring_payments=given(
                command.recurring_payments, loan.recurring_payments
            ),
            archived_at=archived_at(
                loan.archived_at, command.archived, now=uow.clock.now()
            ),
        )
        if updated.recurring_payments:
            _paying_account(updated)
        if updated.archived_at is not None and loan.archived_at is None:
            uow.accounts.archive(loan.account_id)
        if updated != loan:
            uow.loans.save(updated)
        if updated.recurring_payments and not loan.recurring_payments:
            _record_due(uow, updated, uow.owner_today())
    return updated


def record_payment(*, uow: UnitOfWork, command: RecordPayment) -> RecordedPayment:
    """The next row of the schedule as one ledger entry, with any extra on top."""
    with uow:
        loan = _get(uow, command.loan_id)
        due = rules.instalment(
            loan,
            on=command.on,
            amount=_optional_money(command.amount, loan.currency, "amount"),
            extra=_optional_money(command.extra, loan.currency, "extra"),
            effect=command.extra_effect,
        )
        return _book(uow, loan, due, command.on)


def record_due_payments(*, uow: UnitOfWork, loan_id: UUID) -> int:
    """For a loan with recurring payments: every row due by today and not paid yet,
    each booked on its own date as `record_payment` books it (the sweep's job, so
    a sweep after downtime catches up). The loan is locked and its rows are unique
    by number, so a second sweep at once, or a retry, records nothing twice."""
    with uow:
        loan = _get(uow, loan_id)
        if not loan.recurring_payments or loan.archived_at is not None:
            return 0
        return _record_due(uow, loan, uow.owner_today())


def _record_due(uow: UnitOfWork, loan: Loan, today: date) -> int:
    recorded = 0
    while (row := loan.next_row()) is not None and row.date <= today:
        due = rules.instalment(
            loan, on=row.date, amount=None, extra=None, effect=ExtraEffect.SHORTER_TERM
        )
        payment = _book(uow, loan, due, row.date)
        loan = replace(loan, payments=(*loan.payments, payment))
        recorded += 1
    return recorded


def _book(
    uow: UnitOfWork, loan: Loan, due: rules.Instalment, on: date
) -> RecordedPayment:
    """One instalment as one ledger entry (principal and any extra off the loan
    account, interest as an expense), and the payment row."""
    extra = due.extra.amount if due.extra else Money.zero(loan.currency)
    entry_id = uow.ledger.pay(
        from_account_id=_paying_account(loan),
        loan_account_id=loan.account_id,
        principal=due.row.principal + extra,
        interest=due.row.interest,
        interest_category_id=loan.interest_category_id,
        on=on,
        description=loan.name,
    )
    payment = RecordedPayment(
        number=due.row.number,
        paid_on=on,
        principal=due.row.principal,
        interest=due.row.interest,
        entry_id=entry_id,
    )
    uow.loans.add_payment(loan.id, payment)
    if due.extra is not None:
        uow.loans.add_extra(loan.id, due.extra, entry_id)
    return payment


def record_extra_payment(*, uow: UnitOfWork, command: RecordExtraPayment) -> UUID:
    """Principal only, straight off the balance; the rest of the schedule re-plans."""
    with uow:
        loan = _get(uow, command.loan_id)
        paid_from = _paying_account(loan)
        extra = rules.extra_payment(
            loan,
            on=command.on,
            amount=parse_money(command.amount, loan.currency, "amount"),
            effect=command.effect,
        )
        entry_id = uow.ledger.pay(
            from_account_id=paid_from,
            loan_account_id=loan.account_id,
            principal=extra.amount,
            interest=Money.zero(loan.currency),
            interest_category_id=loan.interest_category_id,
            on=command.on,
            description=loan.name,
        )
        uow.loans.add_extra(loan.id, extra, entry_id)
    return entry_id


def change_rate(*, uow: UnitOfWork, command: ChangeRate) -> None:
    with uow:
        loan = _get(uow, command.loan_id)
        change = rules.rate_change(
            loan, on=command.on, annual_rate=parse_rate(command.annual_rate)
        )
        uow.loans.add_rate_change(loan.id, change)


def parse_rate(text: str) -> Decimal:
    """A percentage as a decimal string ("4.5"), at most four decimals."""
    try:
        rate: Decimal | None = Decimal(text.strip())
    except InvalidOperation:
        rate = None
    exponent = rate.as_tuple().exponent if rate is not None else None
    if rate is None or not isinstance(exponent, int) or exponent < -4:
        raise ValidationError.for_field(
            "annual_rate",
            gettext_noop("Enter the annual rate as a percentage, like 4.5."),
        )
    check_rate(rate, "annual_rate")
    return rate


def _get(uow: UnitOfWork, loan_id: UUID) -> Loan:
    loan = uow.loans.get(loan_id)
    if loan is None:
        raise NotFoundError(gettext_noop("No such loan."))
    return loan


def _paying_account(loan: Loan) -> UUID:
    if loan.paid_from_id is None:
        raise ValidationError.for_field(
            "paid_from",
            gettext_noop("Choose the account this loan is paid from first."),
            code="required",
        )
    return loan.paid_from_id


def _check_paid_from(uow: UnitOfWork, account_id: UUID, currency: str) -> None:
    found = uow.accounts.currency_of(account_id)
    if found is None:
        raise ValidationError.for_field(
            "paid_from", gettext_noop("No such account."), code="not_found"
        )
    if found != currency:
        raise ValidationError.for_field(
            "paid_from",
            gettext_noop("The account is in another currency than the loan."),
            code="currency_mismatch",
        )


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValidationError.for_field("name", gettext_noop("Give the loan a name."))
    return cleaned


def _optional_money(text: str | None, currency: str, field_name: str) -> Money | None:
    return None if text in (None, "") else parse_money(text, currency, field_name)


def parse_money(text: str | None, currency: str, field_name: str) -> Money:
    """Strict parsing, with the problem named on the request field."""
    try:
        return Money.parse(text or "", currency)
    except ValidationError as error:
        detail = error.details[0] if error.details else None
        raise ValidationError(
            error.message,
            details=(
                FieldProblem(
                    field=field_name,
                    code=detail.code if detail else "invalid",
                    message=detail.message if detail else error.message,
                ),
            ),
        ) from None
