"""Web forms of the recurring pages: a rule (template and schedule), its in-place
changes, and the forecast's question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.recurring.domain.forecasts import HORIZONS
from modules.recurring.domain.schedules import LAST_DAY
from modules.recurring.infrastructure.models import FREQUENCY_LABELS, TemplateKind
from modules.shared.interfaces.web.forms import AmountField, date_field

WEEKDAYS = (
    _("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"),
    _("Saturday"), _("Sunday"),
)  # fmt: skip


def day_choices() -> list[tuple[str, Any]]:
    days: list[tuple[str, Any]] = [("", _("The start date's day"))]
    days += [(str(day), str(day)) for day in range(1, 32)]
    return [*days, (str(LAST_DAY), _("The last day of the month"))]


def optional_int(value: str) -> int | None:
    return int(value) if value not in ("", None) else None


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Type"), choices=TemplateKind.choices)
    account = forms.ChoiceField(label=_("Account"))
    to_account = forms.ChoiceField(
        label=_("To account"), required=False, help_text=_("For a transfer only.")
    )
    amount = AmountField(label=_("Amount"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    payee = forms.CharField(label=_("Payee"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False
    )
    frequency = forms.ChoiceField(
        label=_("Repeats"), choices=[(k.value, v) for k, v in FREQUENCY_LABELS.items()]
    )
    interval = forms.IntegerField(
        label=_("Every how many days, weeks, months or years"),
        min_value=1,
        max_value=99,
        initial=1,
    )
    day_of_month = forms.TypedChoiceField(
        label=_("Day of the month"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Monthly rules; a day a month lacks falls on its last day."),
    )
    weekday = forms.TypedChoiceField(
        label=_("Day of the week"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Weekly rules; by default the start date's."),
    )
    starts_on = date_field(label=_("Starts on"))
    ends_on = date_field(label=_("Ends on"), required=False)
    count = forms.IntegerField(
        label=_("Or stop after this many times"),
        min_value=1,
        max_value=10_000,
        required=False,
    )
    is_bill = forms.BooleanField(
        label=_("This is a bill"),
        required=False,
        help_text=_(
            "A bill is not recorded by itself: you confirm it, or a matching payment "
            "marks it paid."
        ),
    )

    def __init__(
        self,
        *args: Any,
        accounts: list[tuple[str, str]],
        categories: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = accounts
        self.fields["to_account"].choices = [("", "—"), *accounts]
        self.fields["category"].choices = [("", _("No category")), *categories]
        self.fields["day_of_month"].choices = day_choices()
        self.fields["weekday"].choices = [("", _("The start date's weekday"))] + [
            (str(index), label) for index, label in enumerate(WEEKDAYS)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("kind") == TemplateKind.TRANSFER and not data.get("to_account"):
            self.add_error("to_account", gettext("Choose the account to transfer to."))
        if data.get("kind") != TemplateKind.TRANSFER:
            data["to_account"] = ""
        if data.get("frequency") not in ("monthly", "yearly"):
            data["day_of_month"] = None
        if data.get("frequency") != "weekly":
            data["weekday"] = None
        return data


class EditRuleForm(forms.Form):
    """What changes in place, for the dates still to come."""

    name = forms.CharField(label=_("Name"), max_length=120)
    amount = AmountField(label=_("Amount"))
    category = forms.ChoiceField(label=_("Category"), required=False)
    payee = forms.CharField(label=_("Payee"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=500, required=False
    )
    from_date = date_field(
        label=_("Apply the new amount from"),
        required=False,
        help_text=_(
            "Optional. From this date on the rule goes on with the new amount and the "
            "dates before keep the old one; leave it empty to change every date still "
            "to come."
        ),
    )

    def __init__(
        self, *args: Any, categories: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("No category")), *categories]


class ForecastForm(forms.Form):
    days = forms.TypedChoiceField(
        label=_("Days ahead"),
        choices=[(str(d), str(d)) for d in HORIZONS],
        coerce=int,
        initial=90,
    )
    account = forms.ChoiceField(label=_("Account"), required=False)
    buffer = AmountField(
        label=_("Buffer"),
        required=False,
        help_text=_("The least you want to keep; days below it are listed."),
    )

    def __init__(
        self, *args: Any, accounts: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("All accounts")), *accounts]
