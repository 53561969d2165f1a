"""Web forms of the budget pages: set a budget, change or archive it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.budgets.application.ports import CategoryRef
from modules.budgets.domain.budgets import Budget
from modules.budgets.domain.periods import PeriodKind
from modules.shared.interfaces.web.forms import AmountField, date_field

PERIOD_LABELS = {
    PeriodKind.WEEK: _("Weekly (Monday to Sunday)"),
    PeriodKind.MONTH: _("Monthly"),
    PeriodKind.YEAR: _("Yearly"),
}


def category_choices(categories: dict[Any, CategoryRef]) -> list[tuple[Any, Any]]:
    """Each group first (its spending and all its categories'), then its categories."""
    usable = [c for c in categories.values() if not c.archived]
    groups = sorted((c for c in usable if c.parent_id is None), key=lambda c: c.name)
    choices: list[tuple[Any, Any]] = []
    for group in groups:
        children = sorted(
            (c for c in usable if c.parent_id == group.id), key=lambda c: c.name
        )
        whole = gettext("%(group)s (the whole group)") % {"group": group.name}
        choices.append(
            (
                group.name,
                [(str(group.id), whole)] + [(str(c.id), c.name) for c in children],
            )
        )
    return choices


class NewBudgetForm(forms.Form):
    category = forms.ChoiceField(label=_("Category or group"))
    period = forms.ChoiceField(
        label=_("Period"), choices=[(k.value, v) for k, v in PERIOD_LABELS.items()]
    )
    amount = AmountField(label=_("Limit per period"))
    currency = forms.CharField(
        label=_("Currency"),
        min_length=3,
        max_length=3,
        help_text=_(
            "ISO 4217 code, such as EUR. Your base currency unless you change it."
        ),
    )
    rollover = forms.BooleanField(
        label=_("Roll over what is left"),
        required=False,
        help_text=_(
            "What is left at the end of a period is added to the next one; what is "
            "overspent is taken from it."
        ),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=80,
        required=False,
        help_text=_("Optional: the category's name by default."),
    )
    starts_on = date_field(
        label=_("Starts on"),
        required=False,
        help_text=_(
            "Optional: today by default. Periods are whole weeks, months or years."
        ),
    )

    def __init__(
        self,
        *args: Any,
        categories: dict[Any, CategoryRef],
        base_currency: str,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", {"currency": base_currency, "period": "month"})
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(categories)

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).upper()


class EditBudgetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    amount = AmountField(label=_("Limit per period"))
    rollover = forms.BooleanField(label=_("Roll over what is left"), required=False)
    archived = forms.BooleanField(
        label=_("Archived"),
        required=False,
        help_text=_(
            "An archived budget stops counting and alerting; its history stays."
        ),
    )

    def __init__(self, *args: Any, budget: Budget, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "name": budget.name,
                "amount": budget.limit.to_string(),
                "rollover": budget.rollover,
                "archived": budget.archived_at is not None,
            },
        )
        super().__init__(*args, **kwargs)

    def changes(self) -> dict[str, object]:
        """Only what changed, so an untouched budget is not rewritten."""
        return {name: self.cleaned_data[name] for name in self.changed_data}
