"""Input and output shapes of the transactions and categories API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema_serializer
from rest_framework import serializers

from modules.shared.interfaces.api.fields import (
    BooleanField,
    CharField,
    QuerySerializer,
    UUIDField,
)
from modules.shared.interfaces.api.money import AmountField, MoneyField
from modules.transactions.domain.categories import CategoryKind

REQUIRED_BY_TYPE = {
    "inflow": ("account",),
    "outflow": ("account",),
    "transfer": ("from_account", "to_account"),
}
FORBIDDEN_BY_TYPE = {
    "inflow": ("from_account", "to_account", "to_amount"),
    "outflow": ("from_account", "to_account", "to_amount"),
    "transfer": ("account", "category"),
}


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Money out",
            value={
                "type": "outflow",
                "account": "0b3e6a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                "amount": "42.50",
                "date": "2026-11-22",
                "category": "5d0f3c1a-2b4e-4f6a-8c7d-9e0f1a2b3c4d",
                "payee": "Grocery store",
            },
            request_only=True,
        ),
        OpenApiExample(
            "Transfer across currencies",
            value={
                "type": "transfer",
                "from_account": "0b3e6a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                "to_account": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                "amount": "100.00",
                "to_amount": "108.40",
                "date": "2026-11-22",
            },
            request_only=True,
        ),
    ]
)
class TransactionInput(serializers.Serializer):
    type = serializers.ChoiceField(choices=list(REQUIRED_BY_TYPE))
    account = UUIDField(required=False)
    from_account = UUIDField(required=False)
    to_account = UUIDField(required=False)
    amount = AmountField(help_text=_("Positive decimal string."))
    to_amount = AmountField(
        required=False, help_text=_("Amount received, when the currencies differ.")
    )
    date = serializers.DateField(help_text=_("From 1900-01-01 to 2100-12-31."))
    category = UUIDField(required=False, allow_null=True)
    payee = CharField(max_length=120, required=False, allow_blank=True)
    description = CharField(max_length=255, required=False, allow_blank=True)
    notes = CharField(max_length=2000, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        kind = attrs["type"]
        problems: dict[str, str] = {}
        for name in REQUIRED_BY_TYPE[kind]:
            if not attrs.get(name):
                problems[name] = str(_("This field is required for this type."))
        for name in FORBIDDEN_BY_TYPE[kind]:
            if attrs.get(name):
                problems[name] = str(_("This field does not apply to this type."))
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class BatchInput(serializers.Serializer):
    transactions = TransactionInput(
        many=True,
        min_length=1,
        max_length=500,
        help_text=_("1 to 500 transactions, recorded all together or not at all."),
    )


class ReversalInput(serializers.Serializer):
    date = serializers.DateField(required=False, help_text=_("Defaults to today."))


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "My bank says", value={"balance": "1234.56", "date": "2026-11-22"}
        )
    ]
)
class AdjustmentInput(serializers.Serializer):
    balance = AmountField(signed=True, help_text=_("The balance the bank shows."))
    date = serializers.DateField(help_text=_("From 1900-01-01 to 2100-12-31."))


class ValuationInput(serializers.Serializer):
    value = AmountField(help_text=_("The asset's market value on that date."))
    date = serializers.DateField(help_text=_("From 1900-01-01 to 2100-12-31."))


class TransactionOutput(serializers.Serializer):
    id = UUIDField(source="entry.id")
    type = CharField(source="entry.kind")
    date = serializers.DateField(source="entry.occurred_on")
    amount = MoneyField()
    account = UUIDField(allow_null=True)
    from_account = UUIDField(allow_null=True)
    to_account = UUIDField(allow_null=True)
    to_amount = MoneyField(allow_null=True)
    category = UUIDField(allow_null=True)
    payee = CharField(source="entry.payee")
    description = CharField(source="entry.description")
    notes = CharField(source="entry.notes")
    reverses = UUIDField(source="entry.reverses_id", allow_null=True)
    reversed_by = UUIDField(allow_null=True)
    created_at = serializers.DateTimeField(source="entry.created_at")


class TransactionRow(TransactionOutput):
    running_balance = MoneyField(
        allow_null=True,
        help_text=(
            "The account's balance after this transaction, in the account's own sense "
            "(a liability: what is owed). Given when the list is filtered by `account` "
            "and at most dates; null otherwise."
        ),
    )


class BatchOutput(serializers.Serializer):
    results = TransactionOutput(many=True)


class TransactionQuery(QuerySerializer):
    account = UUIDField(required=False)
    category = UUIDField(required=False)
    date_from = serializers.DateField(required=False)
    date_to = serializers.DateField(required=False)
    amount_min = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, min_value=0
    )
    amount_max = serializers.DecimalField(
        max_digits=20, decimal_places=6, required=False, min_value=0
    )
    q = CharField(required=False, max_length=100)
    type = serializers.ChoiceField(
        required=False,
        choices=[
            "inflow",
            "outflow",
            "transfer",
            "opening_balance",
            "adjustment",
            "reversal",
            "revaluation",
        ],
    )


class CategoryInput(serializers.Serializer):
    name = CharField(max_length=80)
    kind = serializers.ChoiceField(choices=[k.value for k in CategoryKind])
    parent = UUIDField(required=False, allow_null=True, help_text=_("Its group."))


class CategoryPatchInput(serializers.Serializer):
    name = CharField(max_length=80, required=False)
    parent = UUIDField(required=False, allow_null=True)
    archived = BooleanField(required=False)


class CategoryOutput(serializers.Serializer):
    id = UUIDField()
    name = CharField()
    kind = CharField()
    parent = UUIDField(source="parent_id", allow_null=True)
    archived = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()

    def get_archived(self, category: Any) -> bool:
        return category.archived_at is not None
