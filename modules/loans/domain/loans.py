"""A loan: its terms, what re-planned it, and the payments recorded against it.

The schedule is never stored: it is recomputed from the terms and the re-plan events
(extra payments, rate changes). Recorded payments keep the split they were booked
with, so the rules below keep every event after the last recorded payment: a recorded
row never changes afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from modules.loans.domain.schedule import (
    ExtraEffect,
    ExtraPayment,
    LoanTerms,
    RateChange,
    Row,
    Schedule,
    build_schedule,
)
from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop


@dataclass(frozen=True, kw_only=True)
class RecordedPayment:
    number: int  # the schedule row it paid
    paid_on: date
    principal: Money
    interest: Money
    entry_id: UUID


@dataclass(frozen=True, kw_only=True)
class Loan:
    id: UUID
    name: str
    account_id: UUID  # the liability account: what is owed
    paid_from_id: UUID | None
    interest_category_id: UUID
    terms: LoanTerms
    extras: tuple[ExtraPayment, ...] = ()
    rate_changes: tuple[RateChange, ...] = ()
    payments: tuple[RecordedPayment, ...] = ()
    recurring_payments: bool = False  # the sweep records each payment on its date
    archived_at: datetime | None = None

    @property
    def currency(self) -> str:
        return self.terms.currency

    def schedule(self) -> Schedule:
        return build_schedule(
            self.terms, extras=self.extras, rate_changes=self.rate_changes
        )

    @property
    def last_paid_row_date(self) -> date | None:
        if not self.payments:
            return None
        row = self.schedule().row(self.payments[-1].number)
        return row.date if row else self.payments[-1].paid_on

    def next_row(self) -> Row | None:
        """The first row not paid yet; None once the loan is paid off."""
        return self.schedule().row(len(self.payments) + 1)

    def outstanding(self) -> Money:
        """What the schedule says is owed after the recorded payments."""
        schedule = self.schedule()
        return schedule.balance_before(len(self.payments) + 1)

    def interest_paid(self) -> Money:
        return sum((p.interest for p in self.payments), Money.zero(self.currency))

    def interest_saved(self) -> Money:
        """Interest the extra payments and rate changes have saved against the
        original plan (negative when rates went up)."""
        original = build_schedule(self.terms).total_interest
        return original - self.schedule().total_interest


@dataclass(frozen=True, kw_only=True)
class Instalment:
    """What one payment books: the row it pays, and any extra on top."""

    row: Row
    extra: ExtraPayment | None


def instalment(
    loan: Loan,
    *,
    on: date,
    amount: Money | None,
    extra: Money | None,
    effect: ExtraEffect,
) -> Instalment:
    """The next row, checked against the amount the person says they paid."""
    row = loan.next_row()
    if row is None:
        raise ValidationError(
            gettext_noop("This loan is paid off."), code="LOAN_PAID_OFF"
        )
    if amount is not None and amount != row.payment:
        raise ValidationError.for_field(
            "amount",
            gettext_noop(
                "The payment due is a different amount; pay anything more as an extra."
            ),
            code="not_the_payment_due",
        )
    extra_payment = None
    if extra is not None:
        owed_after = loan.schedule().balance_before(row.number) - row.principal
        extra_payment = _extra(
            extra, owed_after, max(on, row.date), effect, field_name="extra"
        )
    return Instalment(row=row, extra=extra_payment)


def extra_payment(
    loan: Loan, *, on: date, amount: Money, effect: ExtraEffect
) -> ExtraPayment:
    """An extra payment alone; it takes effect after the last recorded payment."""
    if loan.next_row() is None:
        raise ValidationError(
            gettext_noop("This loan is paid off."), code="LOAN_PAID_OFF"
        )
    last = loan.last_paid_row_date
    effective = max(on, last) if last else on
    return _extra(amount, loan.outstanding(), effective, effect, field_name="amount")


def _extra(
    amount: Money, owed: Money, on: date, effect: ExtraEffect, *, field_name: str
) -> ExtraPayment:
    if not amount.is_positive():
        raise ValidationError.for_field(
            field_name, gettext_noop("The extra payment must be more than zero.")
        )
    if amount.currency != owed.currency:
        raise ValidationError.for_field(
            field_name,
            gettext_noop("The amount's currency is not the loan's currency."),
            code="currency_mismatch",
        )
    if amount > owed:
        raise ValidationError.for_field(
            field_name,
            gettext_noop("The extra payment is more than what is owed."),
            code="more_than_owed",
        )
    return ExtraPayment(on=on, amount=amount, effect=effect)


def rate_change(loan: Loan, *, on: date, annual_rate: Decimal) -> RateChange:
    """A new rate for every payment from `on`; recorded payments keep theirs."""
    last = loan.last_paid_row_date
    if last is not None and on <= last:
        raise ValidationError.for_field(
            "date",
            gettext_noop("A rate change starts after the last recorded payment."),
            code="before_last_payment",
        )
    if loan.next_row() is None:
        raise ValidationError(
            gettext_noop("This loan is paid off."), code="LOAN_PAID_OFF"
        )
    return RateChange(on=on, annual_rate=annual_rate)


@dataclass(frozen=True, kw_only=True)
class Preview:
    schedule: Schedule
    interest_saved: Money


def preview_extra(
    loan: Loan, *, on: date, amount: Money, effect: ExtraEffect
) -> Preview:
    """What an extra payment would change, without recording it."""
    extra = extra_payment(loan, on=on, amount=amount, effect=effect)
    current = loan.schedule()
    after = build_schedule(
        loan.terms, extras=(*loan.extras, extra), rate_changes=loan.rate_changes
    )
    return Preview(
        schedule=after, interest_saved=current.total_interest - after.total_interest
    )
