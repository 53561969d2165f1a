"""Input and output shapes of the loans API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from modules.loans.domain.schedule import MAX_TERM_MONTHS, ExtraEffect, Method, Row
from modules.loans.infrastructure.selectors import LoanView
from modules.shared.domain.money import amount_writer, minor_units
from modules.shared.interfaces.api.fields import (
    BooleanField,
    CharField,
    QuerySerializer,
    UUIDField,
)
from modules.shared.interfaces.api.money import AmountField, MoneyField

METHODS = [method.value for method in Method]
EFFECTS = [effect.value for effect in ExtraEffect]


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "An annuity loan of 10,000.00 at 5 % over a year",
            value={
                "name": "Car loan",
                "currency": "EUR",
                "principal": "10000.00",
                "annual_rate": "5",
                "term_months": 12,
                "first_payment_on": "2026-01-31",
                "method": "annuity",
                "paid_from": "0b3e6a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
            },
            request_only=True,
        )
    ]
)
class LoanInput(serializers.Serializer):
    name = CharField(max_length=120)
    currency = CharField(min_length=3, max_length=3)
    principal = AmountField(help_text=_("What was borrowed, a decimal string."))
    annual_rate = AmountField(help_text=_('Percent a year, e.g. "4.5".'))
    term_months = serializers.IntegerField(min_value=1, max_value=MAX_TERM_MONTHS)
    first_payment_on = serializers.DateField()
    method = serializers.ChoiceField(choices=METHODS)
    paid_from = UUIDField(
        required=False, allow_null=True, help_text=_("The account payments come from.")
    )


class LoanPatchInput(serializers.Serializer):
    name = CharField(required=False, max_length=120)
    paid_from = UUIDField(required=False, allow_null=True)
    recurring_payments = BooleanField(
        required=False,
        help_text=_(
            "Record each payment on its date from the paying account; turning it "
            "on records the payments due by today at once."
        ),
    )
    archived = BooleanField(required=False)


class PaymentInput(serializers.Serializer):
    date = serializers.DateField()
    amount = AmountField(
        required=False,
        allow_blank=True,
        help_text=_("Optional check: must be the payment due."),
    )
    extra = AmountField(
        required=False,
        allow_blank=True,
        help_text=_("Paid on top, straight off the balance."),
    )
    extra_effect = serializers.ChoiceField(
        choices=EFFECTS, default=ExtraEffect.SHORTER_TERM.value
    )


class ExtraPaymentInput(serializers.Serializer):
    date = serializers.DateField()
    amount = AmountField()
    effect = serializers.ChoiceField(choices=EFFECTS)


class RateChangeInput(serializers.Serializer):
    date = serializers.DateField(help_text=_("The first payment date it applies to."))
    annual_rate = AmountField(help_text=_('Percent a year, e.g. "4.5".'))


class ScheduleRowOutput(serializers.Serializer):
    number = serializers.IntegerField()
    date = serializers.DateField()
    payment = MoneyField(help_text=_("Principal plus interest."))
    principal = MoneyField()
    interest = MoneyField()
    extra = MoneyField(help_text=_("Paid on top after this payment."))
    balance_after = MoneyField()
    paid = BooleanField(help_text=_("Recorded as paid."))


def schedule_rows(
    rows: tuple[Row, ...], *, currency: str, paid: int
) -> list[dict[str, Any]]:
    """The rows as `ScheduleRowOutput` renders them, built straight from the minor
    units: a 30-year schedule is 360 rows and 1,800 amounts."""
    text = amount_writer(minor_units(currency))

    def money(minor: int) -> dict[str, str]:
        return {"amount": text(minor), "currency": currency}

    return [
        {
            "number": row.number,
            "date": row.date.isoformat(),
            "payment": money(row.payment_minor),
            "principal": money(row.principal_minor),
            "interest": money(row.interest_minor),
            "extra": money(row.extra_minor),
            "balance_after": money(row.balance_minor),
            "paid": row.number <= paid,
        }
        for row in rows
    ]


class NextPaymentOutput(serializers.Serializer):
    number = serializers.IntegerField()
    date = serializers.DateField()
    payment = MoneyField()
    principal = MoneyField()
    interest = MoneyField()


class LoanOutput(serializers.Serializer):
    id = UUIDField(source="loan.id")
    name = CharField(source="loan.name")
    account = UUIDField(source="loan.account_id", help_text=_("The liability account."))
    paid_from = UUIDField(source="loan.paid_from_id", allow_null=True)
    interest_category = UUIDField(source="loan.interest_category_id")
    currency = CharField(source="loan.currency")
    principal = MoneyField(source="loan.terms.principal")
    annual_rate = serializers.SerializerMethodField()
    term_months = serializers.IntegerField(source="loan.terms.term_months")
    first_payment_on = serializers.DateField(source="loan.terms.first_payment_on")
    method = serializers.ChoiceField(choices=METHODS, source="loan.terms.method")
    payment = MoneyField(source="schedule.payment", help_text=_("The first payment."))
    payoff_date = serializers.DateField(source="schedule.payoff_date")
    total_interest = MoneyField(source="schedule.total_interest")
    balance = MoneyField(help_text=_("What the loan account says is owed now."))
    payments_made = serializers.SerializerMethodField()
    payments_left = serializers.IntegerField()
    next_payment = NextPaymentOutput(source="next_row", allow_null=True)
    recurring_payments = BooleanField(
        source="loan.recurring_payments",
        help_text=_("Each payment is recorded on its date from the paying account."),
    )
    archived = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_annual_rate(self, view: LoanView) -> str:
        return format(view.loan.terms.annual_rate.normalize(), "f")

    def get_payments_made(self, view: LoanView) -> int:
        return len(view.loan.payments)

    def get_archived(self, view: LoanView) -> bool:
        return view.loan.archived_at is not None


class PaymentOutput(serializers.Serializer):
    number = serializers.IntegerField(help_text=_("The schedule row paid."))
    date = serializers.DateField()
    payment = MoneyField(help_text=_("The row's principal plus interest."))
    principal = MoneyField()
    interest = MoneyField(help_text=_("Booked as an expense in Interest."))
    extra = MoneyField(help_text=_("Paid on top, off the balance."))
    transaction = UUIDField(help_text=_("The one ledger entry."))


class PayoffPreviewOutput(serializers.Serializer):
    payoff_date = serializers.DateField()
    total_interest = MoneyField()
    interest_saved = MoneyField(help_text=_("By this extra payment."))


class PayoffOutput(serializers.Serializer):
    payoff_date = serializers.DateField()
    balance = MoneyField(help_text=_("What is still owed by the schedule."))
    payments_left = serializers.IntegerField()
    total_interest = MoneyField(help_text=_("Over the whole loan, as re-planned."))
    interest_paid = MoneyField()
    interest_remaining = MoneyField()
    interest_saved = MoneyField(
        help_text=_("Against the original plan, by extra payments and rate changes.")
    )
    preview = PayoffPreviewOutput(
        allow_null=True,
        help_text=_("With the extra payment asked about in ?extra=&date=&effect=."),
    )


class PayoffQuery(QuerySerializer):
    extra = AmountField(required=False)
    date = serializers.DateField(required=False)
    effect = serializers.ChoiceField(
        choices=EFFECTS, default=ExtraEffect.SHORTER_TERM.value
    )
