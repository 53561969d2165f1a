"""The loan store: loans with their events and payments, to rows and back."""

from __future__ import annotations

from uuid import UUID

from modules.loans.domain.loans import Loan, RecordedPayment
from modules.loans.domain.schedule import (
    ExtraEffect,
    ExtraPayment,
    LoanTerms,
    Method,
    RateChange,
)
from modules.loans.infrastructure.models import Loan as LoanRow
from modules.loans.infrastructure.models import LoanEvent, LoanPayment
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.money import Money


def to_domain(
    row: LoanRow, events: list[LoanEvent], payments: list[LoanPayment]
) -> Loan:
    currency = row.currency
    return Loan(
        id=row.id,
        name=row.name,
        account_id=row.account_id,
        paid_from_id=row.paid_from_id,
        interest_category_id=row.interest_category_id,
        terms=LoanTerms(
            principal=Money.from_minor(row.principal_minor, currency),
            annual_rate=row.annual_rate,
            term_months=row.term_months,
            first_payment_on=row.first_payment_on,
            method=Method(row.method),
        ),
        extras=tuple(
            ExtraPayment(
                on=e.occurs_on,
                amount=Money.from_minor(e.amount_minor or 0, currency),
                effect=ExtraEffect(e.effect),
            )
            for e in events
            if e.kind == LoanEvent.Kind.EXTRA_PAYMENT
        ),
        rate_changes=tuple(
            RateChange(on=e.occurs_on, annual_rate=e.annual_rate)
            for e in events
            if e.kind == LoanEvent.Kind.RATE_CHANGE and e.annual_rate is not None
        ),
        payments=tuple(
            RecordedPayment(
                number=p.number,
                paid_on=p.paid_on,
                principal=Money.from_minor(p.principal_minor, currency),
                interest=Money.from_minor(p.interest_minor, currency),
                entry_id=p.entry_id,
            )
            for p in payments
        ),
        recurring_payments=row.recurring_payments,
        archived_at=row.archived_at,
    )


def load(row: LoanRow) -> Loan:
    return to_domain(
        row,
        list(LoanEvent.objects.filter(loan=row).order_by("occurs_on", "created_at")),
        list(LoanPayment.objects.filter(loan=row).order_by("number")),
    )


def loan_by_id(loan_id: UUID) -> Loan | None:
    """The current tenant's loan (another tenant's is simply not there)."""
    row = LoanRow.objects.filter(id=loan_id).first()
    return load(row) if row else None


class DjangoLoanStore:
    def add(self, loan: Loan) -> None:
        LoanRow.objects.create(
            id=loan.id,
            tenant_id=current_tenant_id(),
            name=loan.name,
            account_id=loan.account_id,
            paid_from_id=loan.paid_from_id,
            interest_category_id=loan.interest_category_id,
            currency=loan.currency,
            principal_minor=loan.terms.principal.minor,
            annual_rate=loan.terms.annual_rate,
            term_months=loan.terms.term_months,
            first_payment_on=loan.terms.first_payment_on,
            method=loan.terms.method.value,
            recurring_payments=loan.recurring_payments,
        )

    def get(self, loan_id: UUID) -> Loan | None:
        """Locked until commit (PostgreSQL): payments on one loan queue up."""
        row = LoanRow.objects.select_for_update(no_key=True).filter(id=loan_id).first()
        return load(row) if row else None

    def save(self, loan: Loan) -> None:
        LoanRow.objects.filter(id=loan.id).update(
            name=loan.name,
            paid_from_id=loan.paid_from_id,
            recurring_payments=loan.recurring_payments,
            archived_at=loan.archived_at,
        )

    def add_payment(self, loan_id: UUID, payment: RecordedPayment) -> None:
        LoanPayment.objects.create(
            tenant_id=current_tenant_id(),
            loan_id=loan_id,
            number=payment.number,
            paid_on=payment.paid_on,
            principal_minor=payment.principal.minor,
            interest_minor=payment.interest.minor,
            entry_id=payment.entry_id,
        )

    def add_extra(self, loan_id: UUID, extra: ExtraPayment, entry_id: UUID) -> None:
        LoanEvent.objects.create(
            tenant_id=current_tenant_id(),
            loan_id=loan_id,
            kind=LoanEvent.Kind.EXTRA_PAYMENT,
            occurs_on=extra.on,
            amount_minor=extra.amount.minor,
            effect=extra.effect.value,
            entry_id=entry_id,
        )

    def add_rate_change(self, loan_id: UUID, change: RateChange) -> None:
        LoanEvent.objects.create(
            tenant_id=current_tenant_id(),
            loan_id=loan_id,
            kind=LoanEvent.Kind.RATE_CHANGE,
            occurs_on=change.on,
            annual_rate=change.annual_rate,
        )
