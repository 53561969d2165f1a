"""Web forms of the account pages: open, rename or archive, and adjust a balance."""

from __future__ import annotations

from typing import Any

from babel.core import UnknownLocaleError
from babel.numbers import get_currency_name
from django import forms
from django.conf import settings
from django.utils.translation import get_language, gettext, to_locale
from django.utils.translation import gettext_lazy as _

from modules.accounts.infrastructure.models import KIND_LABELS
from modules.accounts.infrastructure.models import Account as AccountRow
from modules.shared.interfaces.web.forms import AmountField, date_field

# The currencies most people hold; the person's base currency is always added.
COMMON_CURRENCIES = (
    "ARS", "AUD", "BRL", "CAD", "CHF", "CLP", "CNY", "COP", "CZK", "DKK", "EUR",
    "GBP", "HUF", "INR", "JPY", "MXN", "NOK", "NZD", "PEN", "PLN", "RON", "SEK",
    "TRY", "USD", "UYU", "ZAR",
)  # fmt: skip


def kind_choices() -> list[tuple[Any, Any]]:
    """Kinds in two groups, so the choice also says whether money is owned or owed."""
    owned = [(k.value, v) for k, v in KIND_LABELS.items() if not k.is_liability]
    owed = [(k.value, v) for k, v in KIND_LABELS.items() if k.is_liability]
    return [(_("What you own"), owned), (_("What you owe"), owed)]


def currency_choices(base_currency: str) -> list[tuple[str, str]]:
    """ISO codes with their names in the reader's language ("EUR - Euro")."""
    locale = to_locale(get_language() or settings.LANGUAGE_CODE)
    codes = sorted({*COMMON_CURRENCIES, base_currency.upper()})
    return [(code, f"{code} - {_currency_name(code, locale)}") for code in codes]


def _currency_name(code: str, locale: str) -> str:
    try:
        return str(get_currency_name(code, locale=locale))
    except (UnknownLocaleError, ValueError):
        return code


def _owed_help() -> str:
    return gettext("For a credit card or a loan, enter what you owe.")


class OpenAccountForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind of account"))
    currency = forms.ChoiceField(
        label=_("Currency"), help_text=_("It cannot be changed later.")
    )
    opening_balance = AmountField(label=_("Balance today"), required=False)
    institution = forms.CharField(
        label=_("Bank or institution"), max_length=120, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, base_currency: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"currency": base_currency.upper()})
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()
        self.fields["currency"].choices = currency_choices(base_currency)
        self.fields["opening_balance"].help_text = " ".join(
            (gettext("Optional: what the account holds today."), _owed_help())
        )


class EditAccountForm(forms.Form):
    """Name, institution and notes; archiving keeps the history and hides the
    account from totals and from new transactions."""

    name = forms.CharField(label=_("Name"), max_length=120)
    institution = forms.CharField(
        label=_("Bank or institution"), max_length=120, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    archived = forms.BooleanField(
        label=_("Archived"),
        required=False,
        help_text=_(
            "Archived accounts keep their history but are left out of totals and of "
            "new transactions."
        ),
    )

    def __init__(self, *args: Any, account: AccountRow, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": account.name,
                "institution": account.institution,
                "notes": account.notes,
                "archived": account.archived_at is not None,
            },
        )
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, object]:
        """Only what changed, so an untouched account is not rewritten."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


class AdjustBalanceForm(forms.Form):
    balance = AmountField(label=_("Balance your bank shows"))
    date = date_field(label=_("Date of that balance"))

    def __init__(self, *args: Any, liability: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        help_text = gettext("We record the difference as an adjustment.")
        if liability:
            help_text = f"{_owed_help()} {help_text}"
        self.fields["balance"].help_text = help_text


class ValuationForm(forms.Form):
    value = AmountField(
        label=_("Market value"),
        help_text=_("What it would sell for on that date."),
    )
    date = date_field(label=_("Date of the valuation"))


class ExchangeRateForm(forms.Form):
    base = forms.ChoiceField(label=_("One unit of"))
    quote = forms.ChoiceField(label=_("buys this much of"))
    rate = forms.CharField(
        label=_("Rate"),
        max_length=40,
        help_text=_("A positive number with at most 12 decimals, such as 1.0842."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    date = date_field(label=_("Date of the rate"))

    def __init__(self, *args: Any, base_currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = currency_choices(base_currency)
        self.fields["base"].choices = choices
        self.fields["quote"].choices = choices
