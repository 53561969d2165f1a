"""Input and output shapes of the budgets API."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers

from modules.budgets.application.use_cases import BudgetView
from modules.budgets.domain.budgets import Figures
from modules.budgets.domain.periods import PeriodKind
from modules.shared.interfaces.api.fields import (
    BooleanField,
    CharField,
    QuerySerializer,
    UUIDField,
)
from modules.shared.interfaces.api.money import AmountField, MoneyField


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "A monthly budget on a category",
            value={
                "category": "5a0c3a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                "period": "month",
                "amount": "200.00",
            },
            request_only=True,
        )
    ]
)
class BudgetInput(serializers.Serializer):
    name = CharField(required=False, allow_blank=True, max_length=80)
    category = UUIDField(required=False, help_text=_("An expense category."))
    category_group = UUIDField(
        required=False,
        help_text=_("A group: its own spending and every category in it count."),
    )
    period = serializers.ChoiceField(choices=[k.value for k in PeriodKind])
    amount = AmountField(help_text=_("The limit per period, a decimal string."))
    currency = CharField(
        required=False,
        min_length=3,
        max_length=3,
        help_text=_("ISO 4217 code; the person's base currency by default."),
    )
    rollover = BooleanField(
        required=False,
        default=False,
        help_text=_("Carry what is left (or overspent) into the next period."),
    )
    starts_on = serializers.DateField(
        required=False, help_text=_("Counts from the period holding this day.")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("category" in attrs) == ("category_group" in attrs):
            raise serializers.ValidationError(
                {"category": _("Give a category or a category group, not both.")}
            )
        return attrs


class BudgetPatchInput(serializers.Serializer):
    name = CharField(required=False, max_length=80)
    amount = AmountField(required=False)
    rollover = BooleanField(required=False)
    archived = BooleanField(required=False)


class FiguresOutput(serializers.Serializer):
    starts_on = serializers.DateField(source="period.starts_on")
    ends_on = serializers.DateField(source="period.ends_on")
    limit = MoneyField(help_text=_("This period's limit, rollover included."))
    rolled_over = MoneyField(help_text=_("Carried in from the periods before."))
    spent = MoneyField()
    remaining = MoneyField(help_text=_("Negative when overspent."))
    projected = MoneyField(help_text=_("Spending by the period's end at this pace."))
    percent_used = serializers.SerializerMethodField()
    unconverted = serializers.ListField(
        child=MoneyField(),
        read_only=True,
        help_text=_(
            "Spent in other currencies with no exchange rate on or before its day: "
            "not in spent (never guessed) until a rate is added. Spending with a "
            "rate is in spent, converted at the rate of its day."
        ),
    )

    @extend_schema_field(CharField(help_text=_('A decimal, e.g. "95.0".')))
    def get_percent_used(self, shown: Figures) -> str:
        return str(shown.percent_used)


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Budget",
            value={
                "id": "0b3e6a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                "name": "Groceries",
                "category": "5a0c3a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                "category_group": None,
                "period": "month",
                "amount": {"amount": "200.00", "currency": "EUR"},
                "currency": "EUR",
                "rollover": False,
                "starts_on": "2026-12-01",
                "archived": False,
                "current": {
                    "starts_on": "2026-12-01",
                    "ends_on": "2026-12-31",
                    "limit": {"amount": "200.00", "currency": "EUR"},
                    "rolled_over": {"amount": "0.00", "currency": "EUR"},
                    "spent": {"amount": "190.00", "currency": "EUR"},
                    "remaining": {"amount": "10.00", "currency": "EUR"},
                    "projected": {"amount": "392.67", "currency": "EUR"},
                    "percent_used": "95.0",
                    "unconverted": [],
                },
            },
            response_only=True,
        )
    ]
)
class BudgetOutput(serializers.Serializer):
    id = UUIDField(source="budget.id")
    name = CharField(source="budget.name")
    category = UUIDField(
        source="budget.category_id", help_text=_("The category or group counted.")
    )
    category_group = serializers.SerializerMethodField()
    period = CharField(source="budget.period")
    amount = MoneyField(source="budget.limit", help_text=_("The limit per period."))
    currency = CharField(source="budget.currency")
    rollover = BooleanField(source="budget.rollover")
    starts_on = serializers.DateField(source="budget.starts_on")
    archived = serializers.SerializerMethodField()
    current = FiguresOutput()

    @extend_schema_field(
        UUIDField(
            allow_null=True,
            help_text=_("Set when the budget counts a whole group."),
        )
    )
    def get_category_group(self, view: BudgetView) -> str | None:
        return str(view.budget.category_id) if view.on_group else None

    @extend_schema_field(BooleanField())
    def get_archived(self, view: BudgetView) -> bool:
        return view.budget.archived_at is not None


class PeriodQuery(QuerySerializer):
    before = serializers.DateField(
        required=False, help_text=_("Only periods that end before this day.")
    )
    limit = serializers.IntegerField(required=False, min_value=1, max_value=100)
