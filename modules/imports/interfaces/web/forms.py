"""The forms of the import pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from modules.imports.domain.mapping import DATE_FORMATS, CsvMapping
from modules.imports.domain.rules import Direction, Operator, TextField
from modules.shared.interfaces.web.forms import AmountField

SEPARATOR_CHOICES = [
    (",", _("Comma (,)")),
    (";", _("Semicolon (;)")),
    ("\t", _("Tab")),
    ("|", _("Vertical bar (|)")),
]
ENCODING_CHOICES = [
    ("", _("Detect")),
    ("utf-8", "UTF-8"),
    ("cp1252", "Windows-1252"),
    ("latin-1", "Latin-1 (ISO 8859-1)"),
]
DATE_EXAMPLES = {
    "%Y-%m-%d": "2026-12-31",
    "%d/%m/%Y": "31/12/2026",
    "%m/%d/%Y": "12/31/2026",
    "%d.%m.%Y": "31.12.2026",
    "%d-%m-%Y": "31-12-2026",
    "%Y/%m/%d": "2026/12/31",
    "%d.%m.%y": "31.12.26",
    "%d/%m/%y": "31/12/26",
    "%m/%d/%y": "12/31/26",
    "%Y%m%d": "20261231",
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Statement file"),
        help_text=_("CSV, OFX, QFX, QIF, CAMT.053 or MT940, up to 20 MB."),
    )
    account = forms.ChoiceField(label=_("Into the account"))
    profile = forms.ChoiceField(
        label=_("Import profile"),
        required=False,
        help_text=_("For a CSV: a column mapping you saved before."),
    )
    source_account = forms.CharField(
        label=_("Account number in the file"),
        required=False,
        max_length=80,
        help_text=_("Only for a file that holds several accounts."),
    )

    def __init__(
        self,
        *args: Any,
        accounts: list[tuple[str, str]],
        profiles: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = accounts
        self.fields["profile"].choices = [
            ("", _("None: I will map the columns")),
            *profiles,
        ]


class MappingForm(forms.Form):
    separator = forms.ChoiceField(label=_("Separator"), choices=SEPARATOR_CHOICES)
    encoding = forms.ChoiceField(
        label=_("Encoding"), choices=ENCODING_CHOICES, required=False
    )
    skip_rows = forms.IntegerField(
        label=_("Lines before the header"), min_value=0, max_value=100, initial=0
    )
    date = forms.ChoiceField(label=_("Date column"))
    date_format = forms.ChoiceField(label=_("Date format"))
    amount = forms.ChoiceField(
        label=_("Amount column (signed)"),
        required=False,
        help_text=_("Or leave empty and choose the debit and credit columns."),
    )
    debit = forms.ChoiceField(label=_("Money out column"), required=False)
    credit = forms.ChoiceField(label=_("Money in column"), required=False)
    decimal_comma = forms.BooleanField(
        label=_("Amounts use a decimal comma (1.234,56)"), required=False
    )
    payee = forms.ChoiceField(label=_("Payee column"), required=False)
    description = forms.ChoiceField(label=_("Description column"), required=False)
    reference = forms.ChoiceField(label=_("Reference column"), required=False)
    save_as = forms.CharField(
        label=_("Save as an import profile named"),
        required=False,
        max_length=80,
        help_text=_("For example the bank's name; offered for the next file."),
    )

    def __init__(
        self, *args: Any, columns: list[str], date_formats: list[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        options = [(name, name) for name in columns]
        for name in ("amount", "debit", "credit", "payee", "description", "reference"):
            self.fields[name].choices = [("", _("(none)")), *options]
        self.fields["date"].choices = options
        ordered = [*date_formats, *(f for f in DATE_FORMATS if f not in date_formats)]
        self.fields["date_format"].choices = [(f, DATE_EXAMPLES[f]) for f in ordered]

    def to_mapping(self) -> CsvMapping:
        data = {k: v for k, v in self.cleaned_data.items() if k != "save_as"}
        return CsvMapping(**data)


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    position = forms.IntegerField(
        label=_("Order"), min_value=0, initial=0, help_text=_("Lower runs first.")
    )
    text_field = forms.ChoiceField(
        label=_("Look at"),
        required=False,
        choices=[
            ("", _("(no text condition)")),
            (TextField.PAYEE, _("Payee")),
            (TextField.DESCRIPTION, _("Description")),
        ],
    )
    operator = forms.ChoiceField(
        label=_("Condition"),
        choices=[
            (Operator.CONTAINS, _("contains")),
            (Operator.EQUALS, _("equals")),
            (Operator.REGEX, _("matches the regular expression")),
        ],
    )
    value = forms.CharField(label=_("Text"), max_length=200, required=False)
    amount_min = AmountField(label=_("Amount from"), required=False)
    amount_max = AmountField(label=_("Amount up to"), required=False)
    account = forms.ChoiceField(label=_("Only in the account"), required=False)
    direction = forms.ChoiceField(
        label=_("Direction"),
        required=False,
        choices=[
            ("", _("Either")),
            (Direction.IN, _("Money in")),
            (Direction.OUT, _("Money out")),
        ],
    )
    category = forms.ChoiceField(label=_("Set the category"), required=False)
    payee = forms.CharField(
        label=_("Rename the payee to"), max_length=120, required=False
    )
    transfer_to = forms.ChoiceField(label=_("Mark as a transfer to"), required=False)

    def __init__(
        self,
        *args: Any,
        accounts: list[tuple[str, str]],
        categories: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = [("", _("Any account")), *accounts]
        self.fields["transfer_to"].choices = [("", _("(not a transfer)")), *accounts]
        self.fields["category"].choices = [("", _("(no change)")), *categories]
