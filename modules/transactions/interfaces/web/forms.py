"""Web forms of the ledger pages: they read what people type and build use-case
commands. The rules (positive amounts, matching currencies, category kinds) stay in
the use cases; their refusals come back onto the field they name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol
from uuid import UUID

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from modules.shared.interfaces.web.forms import (
    AmountField,
    amount_example,
    date_field,
)
from modules.transactions.application.use_cases import RecordFlow, RecordTransfer
from modules.transactions.domain.categories import CategoryKind
from modules.transactions.domain.ledger import EntryKind, EntryText
from modules.transactions.infrastructure.models import Category
from modules.transactions.infrastructure.selectors import TransactionFilter

Choices = list[tuple[Any, Any]]


class Account(Protocol):
    """What a form shows of an account (the accounts module's row)."""

    id: UUID
    name: str
    currency: str
    archived_at: datetime | None


KIND_CHOICES = [
    (CategoryKind.EXPENSE.value, _("Expense")),
    (CategoryKind.INCOME.value, _("Income")),
]
TYPE_CHOICES = [
    (EntryKind.OUTFLOW.value, _("Money out")),
    (EntryKind.INFLOW.value, _("Money in")),
    (EntryKind.TRANSFER.value, _("Transfer between your accounts")),
]
REQUIRED_BY_TYPE = {
    EntryKind.INFLOW.value: ("account",),
    EntryKind.OUTFLOW.value: ("account",),
    EntryKind.TRANSFER.value: ("from_account", "to_account"),
}


# --- Choices -------------------------------------------------------------------
def account_label(account: Account) -> str:
    label = f"{account.name} ({account.currency})"
    if account.archived_at:
        return gettext("%(account)s, archived") % {"account": label}
    return label


def account_choices(accounts: Iterable[Account], *, blank: str) -> Choices:
    return [("", blank), *((str(a.id), account_label(a)) for a in accounts)]


def category_label(category: Category, groups: Mapping[UUID, Category]) -> str:
    parent = groups.get(category.parent_id) if category.parent_id else None
    return f"{parent.name}: {category.name}" if parent else category.name


def category_choices(
    categories: Iterable[Category], *, blank: str, active_only: bool = False
) -> Choices:
    """Income and expense categories in two option groups, each named with its
    group ("Food: Groceries") so that sorting keeps a group's members together."""
    categories = list(categories)
    groups = {c.id: c for c in categories if c.parent_id is None}
    by_kind: dict[str, list[tuple[str, str]]] = {k: [] for k, _label in KIND_CHOICES}
    for category in categories:
        if active_only and category.archived_at:
            continue
        by_kind[category.kind].append(
            (str(category.id), category_label(category, groups))
        )
    labels = {
        CategoryKind.INCOME.value: _("Income"),
        CategoryKind.EXPENSE.value: _("Expenses"),
    }
    return [("", blank)] + [
        (labels[kind], sorted(options, key=lambda option: option[1].casefold()))
        for kind, options in sorted(by_kind.items(), reverse=True)
        if options
    ]


def group_choices(
    categories: Iterable[Category], *, kind: str | None = None
) -> Choices:
    """Top-level categories that can hold others; all kinds when `kind` is None."""
    groups = [c for c in categories if c.parent_id is None and not c.archived_at]
    if kind is not None:
        groups = [c for c in groups if c.kind == kind]
    blank = ("", gettext("No group: a top-level category"))
    if kind is not None:
        return [blank, *((str(c.id), c.name) for c in groups)]
    kinds = dict(KIND_CHOICES)
    return [blank] + [
        (kinds[k], [(str(c.id), c.name) for c in groups if c.kind == k])
        for k, _label in KIND_CHOICES
        if any(c.kind == k for c in groups)
    ]


def uuid_choice(**kwargs: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(coerce=UUID, empty_value=None, **kwargs)


# --- Transactions --------------------------------------------------------------
class TransactionForm(forms.Form):
    """Every field is shown whatever the type, so the form works with no script;
    the fieldset legends say which fields each type uses and the rest are ignored."""

    type = forms.ChoiceField(
        label=_("Type of transaction"),
        choices=TYPE_CHOICES,
        widget=forms.RadioSelect,
        initial=EntryKind.OUTFLOW.value,
    )
    date = date_field(label=_("Date"))
    amount = AmountField(
        label=_("Amount"),
        help_text=_("For a transfer, the amount that leaves the first account."),
    )
    account = uuid_choice(label=_("Account"), required=False)
    category = uuid_choice(label=_("Category"), required=False)
    from_account = uuid_choice(label=_("From account"), required=False)
    to_account = uuid_choice(label=_("To account"), required=False)
    to_amount = AmountField(
        label=_("Amount received"),
        required=False,
        help_text=_("Only when the two accounts use different currencies."),
    )
    payee = forms.CharField(label=_("Payee or payer"), max_length=120, required=False)
    description = forms.CharField(
        label=_("Description"), max_length=255, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        accounts: Iterable[Account],
        categories: Iterable[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        usable = account_choices(
            (a for a in accounts if not a.archived_at),
            blank=gettext("Choose an account"),
        )
        for name in ("account", "from_account", "to_account"):
            self.fields[name].choices = usable
        self.fields["category"].choices = category_choices(
            categories, blank=gettext("No category"), active_only=True
        )
        self.fields["amount"].help_text = _amount_help(self.fields["amount"].help_text)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in REQUIRED_BY_TYPE.get(data.get("type", ""), ()):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, gettext("Choose an account for this type."))
        return data

    def to_command(self) -> RecordFlow | RecordTransfer:
        data = self.cleaned_data
        text = EntryText(
            payee=data["payee"], description=data["description"], notes=data["notes"]
        )
        if data["type"] == EntryKind.TRANSFER.value:
            return RecordTransfer(
                from_account_id=data["from_account"],
                to_account_id=data["to_account"],
                amount=data["amount"],
                to_amount=data["to_amount"] or None,
                on=data["date"],
                text=text,
            )
        return RecordFlow(
            direction=EntryKind(data["type"]),
            account_id=data["account"],
            amount=data["amount"],
            on=data["date"],
            category_id=data["category"],
            text=text,
        )


def _amount_help(help_text: object) -> str:
    example = gettext("For example: %(example)s.") % {"example": amount_example()}
    return f"{help_text} {example}"


class ReverseForm(forms.Form):
    date = date_field(
        label=_("Date of the reversal"),
        help_text=_("Usually today: the day you noticed the mistake."),
    )


class TransactionFilterForm(forms.Form):
    """The list's filters, read from the query string; invalid ones are ignored."""

    q = forms.CharField(label=_("Text"), max_length=100, required=False)
    account = uuid_choice(label=_("Account"), required=False)
    category = uuid_choice(
        label=_("Category"),
        required=False,
        help_text=_("A group includes its categories."),
    )
    date_from = date_field(label=_("From date"), required=False)
    date_to = date_field(label=_("To date"), required=False)
    amount_min = AmountField(label=_("Smallest amount"), required=False)
    amount_max = AmountField(label=_("Largest amount"), required=False)

    def __init__(
        self,
        *args: Any,
        accounts: Iterable[Account],
        categories: Iterable[Category],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = account_choices(
            accounts, blank=gettext("All accounts")
        )
        self.fields["category"].choices = category_choices(
            categories, blank=gettext("All categories")
        )

    def clean_amount_min(self) -> Decimal | None:
        return _bound(self.cleaned_data["amount_min"])

    def clean_amount_max(self) -> Decimal | None:
        return _bound(self.cleaned_data["amount_max"])

    def to_filter(self) -> TransactionFilter:
        """Only the fields that passed validation (call after `is_valid`)."""
        data = getattr(self, "cleaned_data", {})
        return TransactionFilter(
            account=data.get("account"),
            category=data.get("category"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            amount_min=data.get("amount_min"),
            amount_max=data.get("amount_max"),
            text=data.get("q") or "",
        )


def _bound(text: str) -> Decimal | None:
    if not text:
        return None
    value = Decimal(text)
    if value < 0:
        raise forms.ValidationError(
            gettext("Amounts are compared without their sign: enter 0 or more.")
        )
    return value


# --- Categories ----------------------------------------------------------------
class CategoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(
        label=_("Kind"), choices=KIND_CHOICES, widget=forms.RadioSelect
    )
    parent = uuid_choice(
        label=_("Group"),
        required=False,
        help_text=_("A group of the same kind, or none to make this one a group."),
    )

    def __init__(
        self, *args: Any, categories: Iterable[Category], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = group_choices(categories)


class CategoryChangeForm(forms.Form):
    """Rename, move to another group of the same kind, archive or restore."""

    name = forms.CharField(label=_("Name"), max_length=80)
    parent = uuid_choice(label=_("Group"), required=False)
    archived = forms.BooleanField(
        label=_("Archived"),
        required=False,
        help_text=_(
            "Archived categories keep their history but are not offered for new "
            "transactions."
        ),
    )

    def __init__(
        self,
        *args: Any,
        category: Category,
        categories: Iterable[Category],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("initial", initial_of(category))
        super().__init__(*args, **kwargs)
        self.has_children = any(c.parent_id == category.id for c in categories)
        others = [c for c in categories if c.id != category.id]
        parent = self.fields["parent"]
        parent.choices = group_choices(others, kind=category.kind)
        if self.has_children:
            parent.choices = parent.choices[:1]
            parent.help_text = _(
                "This group holds other categories, so it stays at the top level."
            )

    def changes(self) -> dict[str, object]:
        """Only what changed, so renaming alone never re-checks the group."""
        return {name: self.cleaned_data[name] for name in self.changed_data}


def initial_of(category: Category) -> dict[str, object]:
    return {
        "name": category.name,
        "parent": str(category.parent_id) if category.parent_id else "",
        "archived": category.archived_at is not None,
    }


def today() -> date:
    return timezone.localdate()
