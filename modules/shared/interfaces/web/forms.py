"""Form pieces every module's web pages share: amounts as people type them, dates,
and use-case refusals placed on the field they name."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import formats
from django.utils.translation import gettext

from modules.shared.domain.errors import DomainError

_PLAIN_AMOUNT = re.compile(r"-?\d{1,15}(?:\.\d+)?", re.ASCII)


class AmountField(forms.CharField):
    """An amount as people type it: "1234.50", or "1234,50" with a decimal comma.

    Thousands separators are refused rather than guessed, since "1.234" means
    different amounts in English and Spanish; so are a plus sign, an exponent and
    spaces inside the number. The result is a plain decimal string that the use case
    parses strictly against the account's currency.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        attrs = {"inputmode": "decimal", "autocomplete": "off", "spellcheck": "false"}
        kwargs.setdefault("widget", forms.TextInput(attrs=attrs))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        if text.count(",") == 1 and "." not in text:
            text = text.replace(",", ".")
        if text and not _PLAIN_AMOUNT.fullmatch(text):
            raise forms.ValidationError(
                gettext(
                    "Enter an amount such as %(example)s, without thousands "
                    "separators, plus sign or spaces."
                )
                % {"example": amount_example()},
                code="invalid",
            )
        return text


def amount_example() -> str:
    """1234.50 in the reader's own notation (1234,50 in Spanish)."""
    return formats.number_format(Decimal("1234.50"), decimal_pos=2, use_l10n=True)


class DateInput(forms.DateInput):
    """The browser's date picker; its value is always ISO whatever the language."""

    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(**kwargs: Any) -> forms.DateField:
    return forms.DateField(widget=DateInput(), **kwargs)


def add_domain_error(
    form: forms.Form, error: DomainError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """A use case's refusal on the field it names (or the form as a whole), in the
    reader's language. `aliases` maps a use case's field name to the form's."""
    aliases = aliases or {}
    placed = False
    for problem in error.details:
        name = aliases.get(problem.field, problem.field)
        field = name if name in form.fields else None
        form.add_error(field, gettext(problem.message))
        placed = True
    if not placed:
        form.add_error(None, gettext(error.message))
