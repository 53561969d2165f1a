"""Money on the wire: `{"amount": "12.50", "currency": "EUR"}`, never a float."""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.shared.domain.money import (
    AMOUNT_GRAMMAR,
    AMOUNT_PATTERN,
    SIGNED_AMOUNT_GRAMMAR,
    SIGNED_AMOUNT_PATTERN,
    Money,
)


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "amount": {
                "type": "string",
                "example": "1234.50",
                "pattern": r"^-?\d+(\.\d+)?$",
            },
            "currency": {
                "type": "string",
                "example": "EUR",
                "minLength": 3,
                "maxLength": 3,
            },
        },
        "required": ["amount", "currency"],
    }
)
class MoneyField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Money) -> dict[str, str]:
        return value.as_dict()


class AmountField(serializers.CharField):
    """An amount in a request: a decimal string in the strict grammar of
    `Money.parse` (documented as the schema's pattern); `signed` lets a balance be
    negative. JSON numbers are refused, because a client that sends 12.5 has
    already been through a float; spaces are refused, not trimmed."""

    default_error_messages = {
        "not_a_string": _('Send amounts as decimal strings, e.g. "12.50".'),
    }

    def __init__(self, *, signed: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        kwargs["trim_whitespace"] = False
        pattern, message = (
            (SIGNED_AMOUNT_PATTERN, SIGNED_AMOUNT_GRAMMAR)
            if signed
            else (AMOUNT_PATTERN, AMOUNT_GRAMMAR)
        )
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(pattern, message=_(message)))

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return str(super().to_internal_value(data))


class RateUsedOutput(serializers.Serializer):
    """The exchange rate a figure used: that day's or the last before it."""

    base = serializers.CharField(source="source_currency")
    quote = serializers.CharField(source="target_currency")
    rate = serializers.DecimalField(
        max_digits=30, decimal_places=10, coerce_to_string=True, normalize_output=True
    )
    date = serializers.DateField(source="day", help_text=_("The date of the rate."))
    source = serializers.SerializerMethodField(
        help_text=_('"you" for your own rate, else its publisher (such as ECB).')
    )

    @extend_schema_field(serializers.CharField())
    def get_source(self, quote: Any) -> str:
        return quote.source or "you"


def rate_used(quote: Any) -> dict[str, str]:
    """`RateUsedOutput` without a serializer per rate, for long series."""
    return {
        "base": quote.source_currency,
        "quote": quote.target_currency,
        "rate": format(quote.rate, "f"),
        "date": quote.day.isoformat(),
        "source": quote.source or "you",
    }
