"""Loan repayment schedules, exact to the currency's minor unit.

The arithmetic runs on integer minor units. Each row's interest is the balance after
the previous payment times the monthly rate (annual rate / 12), rounded half-even to
the minor unit: the rounding Money uses everywhere, and unbiased over hundreds of
rows. The principal parts add up exactly to the amount borrowed (less any extra
payments): the last row takes whatever is left, so the last balance is zero.

Payments fall monthly from the first payment date and keep its day of the month
(31 Jan, 28/29 Feb, 31 Mar, ...). An extra payment on a date is applied right after
the last regular payment on or before that date and re-plans the rest, keeping either
the payment (shorter term) or the end date (lower payment). A rate change from a date
applies to every payment on or after it and re-plans the payment over the rows left.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from enum import StrEnum

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop

MAX_TERM_MONTHS = 600
MAX_ANNUAL_RATE = Decimal(100)
_PRECISE = Context(prec=60)
_MONTHS_A_YEAR_PERCENT = Decimal(1200)


class Method(StrEnum):
    ANNUITY = "annuity"  # the same payment every month
    LINEAR = "linear"  # the same principal every month, interest on top
    INTEREST_ONLY = "interest_only"  # interest every month, the principal at the end


class ExtraEffect(StrEnum):
    SHORTER_TERM = "shorter_term"  # keep the payment, finish earlier
    LOWER_PAYMENT = "lower_payment"  # keep the end date, pay less each month


@dataclass(frozen=True, kw_only=True)
class LoanTerms:
    principal: Money
    annual_rate: Decimal  # percent: Decimal("4.5") is 4.5 % a year
    term_months: int
    first_payment_on: date
    method: Method

    def __post_init__(self) -> None:
        if not self.principal.is_positive():
            raise ValidationError.for_field(
                "principal", gettext_noop("The amount borrowed must be more than zero.")
            )
        check_rate(self.annual_rate, "annual_rate")
        if not 1 <= self.term_months <= MAX_TERM_MONTHS:
            raise ValidationError.for_field(
                "term_months",
                gettext_noop("The term is between 1 and 600 months."),
            )

    @property
    def currency(self) -> str:
        return self.principal.currency


def check_rate(rate: Decimal, field_name: str) -> None:
    if not rate.is_finite() or not Decimal(0) <= rate <= MAX_ANNUAL_RATE:
        raise ValidationError.for_field(
            field_name, gettext_noop("The annual rate is a percentage from 0 to 100.")
        )


@dataclass(frozen=True, kw_only=True)
class ExtraPayment:
    on: date
    amount: Money
    effect: ExtraEffect

    def __post_init__(self) -> None:
        if not self.amount.is_positive():
            raise ValidationError.for_field(
                "extra", gettext_noop("The extra payment must be more than zero.")
            )


@dataclass(frozen=True, kw_only=True)
class RateChange:
    on: date
    annual_rate: Decimal

    def __post_init__(self) -> None:
        check_rate(self.annual_rate, "annual_rate")


@dataclass(frozen=True, kw_only=True, slots=True)
class Row:
    """One payment, in minor units of `currency` (a 30-year schedule is 360 rows,
    so its amounts become Money only when read)."""

    number: int
    date: date
    currency: str
    payment_minor: int  # principal + interest, the regular payment of this row
    principal_minor: int
    interest_minor: int
    extra_minor: int  # paid on top after this row, straight off the balance
    balance_minor: int  # after the payment and the extra

    @property
    def payment(self) -> Money:
        return Money.from_minor(self.payment_minor, self.currency)

    @property
    def principal(self) -> Money:
        return Money.from_minor(self.principal_minor, self.currency)

    @property
    def interest(self) -> Money:
        return Money.from_minor(self.interest_minor, self.currency)

    @property
    def extra(self) -> Money:
        return Money.from_minor(self.extra_minor, self.currency)

    @property
    def balance_after(self) -> Money:
        return Money.from_minor(self.balance_minor, self.currency)


@dataclass(frozen=True, kw_only=True)
class Schedule:
    terms: LoanTerms
    rows: tuple[Row, ...]
    paid_before_first: Money  # extra payments dated before the first payment
    # the date of the extra payment that settled the loan before its first payment
    settled_before_first_on: date | None = None

    @property
    def payment(self) -> Money:
        """The first regular payment (an annuity's payment until something re-plans);
        zero for a loan settled before its first payment."""
        if not self.rows:
            return Money.zero(self.terms.currency)
        return self.rows[0].payment

    @property
    def payoff_date(self) -> date:
        if not self.rows and self.settled_before_first_on is not None:
            return self.settled_before_first_on
        return self.rows[-1].date

    @property
    def total_interest(self) -> Money:
        return Money.from_minor(
            sum(row.interest_minor for row in self.rows), self.terms.currency
        )

    @property
    def total_paid(self) -> Money:
        minor = sum(row.payment_minor + row.extra_minor for row in self.rows)
        return Money.from_minor(
            minor + self.paid_before_first.minor, self.terms.currency
        )

    def row(self, number: int) -> Row | None:
        return self.rows[number - 1] if 1 <= number <= len(self.rows) else None

    def balance_before(self, number: int) -> Money:
        """What is owed just before row `number` is paid."""
        if number <= 1:
            return self.terms.principal - self.paid_before_first
        return self.rows[number - 2].balance_after


def payment_date(first: date, index: int) -> date:
    """The date of payment `index` (0 is the first), on the first one's day of the
    month or the month's last day when it is shorter."""
    months = first.month - 1 + index
    year, month = first.year + months // 12, months % 12 + 1
    if first.day <= 28:
        return date(year, month, first.day)
    return date(year, month, min(first.day, calendar.monthrange(year, month)[1]))


def payment_dates(first: date, count: int) -> list[date]:
    """The first `count` payment dates."""
    return [payment_date(first, index) for index in range(count)]


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN, context=_PRECISE))


def monthly_interest(balance: int, annual_rate: Decimal) -> int:
    """A month's interest on a balance in minor units, rounded half-even; exact
    integer arithmetic (the rate as a fraction), the hot loop of a schedule."""
    numerator, denominator = annual_rate.as_integer_ratio()
    return _half_even(balance * numerator, denominator * 1200)


def _half_even(numerator: int, denominator: int) -> int:
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient


def annuity_payment(balance: int, annual_rate: Decimal, months: int) -> int:
    """B * r / (1 - (1 + r)^-n) in minor units, rounded half-even; B / n at 0 %."""
    with localcontext(_PRECISE):
        if annual_rate.is_zero():
            return _round(Decimal(balance) / months)
        rate = annual_rate / _MONTHS_A_YEAR_PERCENT
        return _round(Decimal(balance) * rate / (1 - (1 + rate) ** -months))


@dataclass
class _Plan:
    """What the next rows follow: the rate, the last row's number, the payment
    (annuity) or the principal part (linear)."""

    rate: Decimal
    last: int
    level: int = 0

    def replan(self, method: Method, balance: int, number: int) -> None:
        """Spread `balance` over rows `number`..`last`."""
        rows_left = self.last - number + 1
        if method is Method.ANNUITY:
            self.level = annuity_payment(balance, self.rate, rows_left)
        elif method is Method.LINEAR:
            with localcontext(_PRECISE):
                self.level = _round(Decimal(balance) / rows_left)


def build_schedule(
    terms: LoanTerms,
    *,
    extras: Iterable[ExtraPayment] = (),
    rate_changes: Iterable[RateChange] = (),
) -> Schedule:
    currency = terms.currency
    pending_extras = sorted(extras, key=lambda e: e.on)
    pending_rates = sorted(rate_changes, key=lambda r: r.on)
    for extra in pending_extras:
        if extra.amount.currency != currency:
            raise ValidationError.for_field(
                "extra",
                gettext_noop("The amount's currency is not the loan's currency."),
                code="currency_mismatch",
            )
    balance = terms.principal.minor
    before_first = 0
    plan = _Plan(rate=terms.annual_rate, last=terms.term_months)
    first = terms.first_payment_on
    settled_on = None
    while pending_extras and pending_extras[0].on < first and balance > 0:
        extra = pending_extras.pop(0)
        paid = min(extra.amount.minor, balance)
        before_first += paid
        balance -= paid
        settled_on = extra.on if balance == 0 else None
    while pending_rates and pending_rates[0].on <= first:
        plan.rate = pending_rates.pop(0).annual_rate
    plan.replan(terms.method, balance, 1)
    rows: list[Row] = []
    dates = payment_dates(first, plan.last + 1)
    number = 0
    while balance > 0:
        number += 1
        on = dates[number - 1]
        changed = False
        while pending_rates and pending_rates[0].on <= on:
            plan.rate = pending_rates.pop(0).annual_rate
            changed = True
        if changed:
            plan.replan(terms.method, balance, number)
        interest = monthly_interest(balance, plan.rate)
        principal = _principal(terms.method, plan, balance, interest, number)
        balance -= principal
        extra_paid = 0
        next_on = dates[number]
        while pending_extras and pending_extras[0].on < next_on and balance > 0:
            extra = pending_extras.pop(0)
            paid = min(extra.amount.minor, balance)
            extra_paid += paid
            balance -= paid
            if extra.effect is ExtraEffect.LOWER_PAYMENT and balance > 0:
                plan.replan(terms.method, balance, number + 1)
        rows.append(
            Row(
                number=number,
                date=on,
                currency=currency,
                payment_minor=principal + interest,
                principal_minor=principal,
                interest_minor=interest,
                extra_minor=extra_paid,
                balance_minor=balance,
            )
        )
    return Schedule(
        terms=terms,
        rows=tuple(rows),
        paid_before_first=Money.from_minor(before_first, currency),
        settled_before_first_on=settled_on,
    )


def _principal(
    method: Method, plan: _Plan, balance: int, interest: int, number: int
) -> int:
    """This row's principal: all that is left on the last row, never more."""
    if number >= plan.last:
        return balance
    if method is Method.ANNUITY:
        wanted = max(plan.level - interest, 0)
    elif method is Method.LINEAR:
        wanted = plan.level
    else:
        wanted = 0
    return min(wanted, balance)


def interest_saved(
    terms: LoanTerms,
    *,
    extras: Sequence[ExtraPayment],
    rate_changes: Sequence[RateChange] = (),
    by: ExtraPayment,
) -> Money:
    """How much less interest the loan costs with the extra payment `by` than without."""
    without = build_schedule(terms, extras=extras, rate_changes=rate_changes)
    with_it = build_schedule(terms, extras=[*extras, by], rate_changes=rate_changes)
    return without.total_interest - with_it.total_interest
