"""Input and output shapes of the accounts API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers

from modules.accounts.domain.accounts import AccountKind
from modules.accounts.infrastructure.selectors import AccountView
from modules.shared.interfaces.api.fields import (
    BooleanField,
    CharField,
    QuerySerializer,
    UUIDField,
)
from modules.shared.interfaces.api.money import AmountField, MoneyField, RateUsedOutput


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A checking account with an opening balance",
            value={
                "name": "Everyday account",
                "kind": "checking",
                "currency": "EUR",
                "opening_balance": "100.00",
                "institution": "Banco Ejemplo",
            },
            request_only=True,
        )
    ]
)
class AccountInput(serializers.Serializer):
    name = CharField(max_length=120)
    kind = serializers.ChoiceField(choices=[kind.value for kind in AccountKind])
    currency = CharField(min_length=3, max_length=3, help_text=_("ISO 4217 code."))
    opening_balance = AmountField(
        signed=True,
        required=False,
        allow_blank=True,
        help_text=_("Decimal string; for a card or loan, what you owe."),
    )
    institution = CharField(required=False, allow_blank=True, max_length=120)
    notes = CharField(required=False, allow_blank=True, max_length=2000)


class AccountPatchInput(serializers.Serializer):
    name = CharField(required=False, max_length=120)
    institution = CharField(required=False, allow_blank=True, max_length=120)
    notes = CharField(required=False, allow_blank=True, max_length=2000)
    archived = BooleanField(required=False)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Account",
            value={
                "id": "0b3e6a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                "name": "Everyday account",
                "kind": "checking",
                "class": "asset",
                "currency": "EUR",
                "balance": {"amount": "100.00", "currency": "EUR"},
                "institution": "Banco Ejemplo",
                "notes": "",
                "archived": False,
                "created_at": "2026-11-22T10:00:00Z",
            },
            response_only=True,
        )
    ]
)
class AccountOutput(serializers.Serializer):
    id = UUIDField(source="row.id")
    name = CharField(source="row.name")
    kind = CharField(source="row.kind")
    currency = CharField(source="row.currency")
    balance = MoneyField()
    institution = CharField(source="row.institution")
    notes = CharField(source="row.notes")
    archived = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(source="row.created_at")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["class"] = serializers.ChoiceField(
            choices=["asset", "liability"], source="account_class"
        )
        return fields

    @extend_schema_field(BooleanField())
    def get_archived(self, account: AccountView) -> bool:
        return account.row.archived_at is not None


class TotalsOutput(serializers.Serializer):
    currency = CharField()
    assets = MoneyField()
    liabilities = MoneyField()
    net = MoneyField(help_text=_("Assets minus liabilities."))


class TotalsInBaseOutput(serializers.Serializer):
    currency = CharField(help_text=_("Your base currency."))
    assets = MoneyField(allow_null=True)
    liabilities = MoneyField(allow_null=True)
    net = MoneyField(
        allow_null=True,
        help_text=_(
            "Assets minus liabilities of every currency, in the base currency; "
            "null while a rate is missing (never guessed)."
        ),
    )
    missing_rates = serializers.ListField(
        child=CharField(),
        source="missing",
        help_text=_("Currencies with no rate to the base currency on or before today."),
    )
    rates = RateUsedOutput(
        many=True, source="quotes", help_text=_("Today's rate or the last before it.")
    )


class ExchangeRateInput(serializers.Serializer):
    base = CharField(
        min_length=3, max_length=3, help_text=_("ISO 4217 code: one unit of this...")
    )
    quote = CharField(
        min_length=3, max_length=3, help_text=_("...buys `rate` of this currency.")
    )
    rate = AmountField(help_text=_("Decimal string, at most 12 decimals, e.g. 1.0842."))
    date = serializers.DateField()


class ExchangeRateQuery(QuerySerializer):
    base = CharField(required=False, help_text="With quote: one pair only.")
    quote = CharField(required=False)
    date = serializers.DateField(
        required=False,
        help_text="With a pair: the rate in use on this day (default today).",
    )


class ExchangeRateOutput(serializers.Serializer):
    id = UUIDField()
    base = CharField()
    quote = CharField()
    rate = CharField()
    date = serializers.DateField(source="day")
    created_at = serializers.DateTimeField()
