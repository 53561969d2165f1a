"""Money on the wire: `{"amount": "12.50", "currency": "EUR"}`, never a float."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.shared.domain.money import Money


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
    """An amount in a request: a decimal string. JSON numbers are refused, because a
    client that sends 12.5 has already been through a float."""

    default_error_messages = {
        "not_a_string": _('Send amounts as decimal strings, e.g. "12.50".'),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 32)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("not_a_string")
        return str(super().to_internal_value(data))
