"""Web forms of the loan pages: take out a loan, pay it, pay extra, change the rate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.loans.domain.schedule import MAX_TERM_MONTHS
from modules.loans.infrastructure.models import EFFECT_LABELS, METHOD_LABELS
from modules.shared.interfaces.web.forms import AmountField, date_field


def effect_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("What the extra payment changes"),
        choices=[(k.value, v) for k, v in EFFECT_LABELS.items()],
    )


class LoanForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    currency = forms.ChoiceField(
        label=_("Currency"),
        help_text=_("Your base currency or that of one of your accounts."),
    )
    principal = AmountField(label=_("Amount borrowed"))
    annual_rate = AmountField(
        label=_("Annual interest rate (%)"), help_text=_("For example 4.5")
    )
    term_months = forms.IntegerField(
        label=_("Term in months"), min_value=1, max_value=MAX_TERM_MONTHS
    )
    first_payment_on = date_field(
        label=_("First payment"),
        help_text=_("Later payments fall on the same day of each month."),
    )
    method = forms.ChoiceField(
        label=_("Repayment method"),
        choices=[(k.value, v) for k, v in METHOD_LABELS.items()],
    )
    paid_from = forms.ChoiceField(
        label=_("Paid from"), help_text=_("The account the payments come from.")
    )

    def __init__(
        self,
        *args: Any,
        base_currency: str,
        currencies: set[str],
        paying_accounts: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"currency": base_currency.upper()})
        super().__init__(*args, **kwargs)
        codes = sorted({base_currency.upper(), *currencies})
        self.fields["currency"].choices = [(code, code) for code in codes]
        self.fields["paid_from"].choices = paying_accounts


class PaymentForm(forms.Form):
    date = date_field(label=_("Date paid"))
    extra = AmountField(
        label=_("Extra paid on top (optional)"),
        required=False,
        help_text=_("Goes straight off what you owe."),
    )
    extra_effect = effect_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "payment")
        super().__init__(*args, **kwargs)


class ExtraPaymentForm(forms.Form):
    date = date_field(label=_("Date of the extra payment"))
    amount = AmountField(label=_("Extra amount"))
    effect = effect_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "extra")
        super().__init__(*args, **kwargs)


class RateChangeForm(forms.Form):
    date = date_field(
        label=_("New rate from"),
        help_text=_("It applies to every payment on or after this date."),
    )
    annual_rate = AmountField(label=_("New annual interest rate (%)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "rate")
        super().__init__(*args, **kwargs)


class RecurringPaymentsForm(forms.Form):
    recurring_payments = forms.BooleanField(
        label=_("Record each payment on its date"),
        required=False,
        help_text=_(
            "From the paying account, split into principal and interest as the "
            "schedule says. Payments already due are recorded at once."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "recurring")
        super().__init__(*args, **kwargs)
