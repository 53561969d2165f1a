"""Input and output shapes of the recurring transactions, bills and forecast API."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers

from modules.recurring.domain.forecasts import HORIZONS, Forecast
from modules.recurring.domain.schedules import Frequency
from modules.shared.domain.money import amount_writer, minor_units
from modules.shared.interfaces.api.fields import (
    BooleanField,
    CharField,
    QuerySerializer,
    UUIDField,
)
from modules.shared.interfaces.api.money import AmountField, MoneyField

TYPES = ("inflow", "outflow", "transfer")


class TemplateInput(serializers.Serializer):
    """A `POST /transactions` body without its date."""

    type = serializers.ChoiceField(choices=TYPES)
    account = UUIDField(required=False)
    from_account = UUIDField(required=False)
    to_account = UUIDField(required=False)
    amount = AmountField(help_text=_("Positive decimal string."))
    category = UUIDField(required=False, allow_null=True)
    payee = CharField(max_length=120, required=False, allow_blank=True)
    description = CharField(max_length=500, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        transfer = attrs["type"] == "transfer"
        needed = ("from_account", "to_account") if transfer else ("account",)
        refused = (
            ("account", "category") if transfer else ("from_account", "to_account")
        )
        problems: dict[str, str] = {}
        for name in needed:
            if not attrs.get(name):
                problems[name] = str(_("This field is required for this type."))
        for name in refused:
            if attrs.get(name):
                problems[name] = str(_("This field does not apply to this type."))
        if problems:
            raise serializers.ValidationError(problems)
        return attrs


class ScheduleFields(serializers.Serializer):
    frequency = serializers.ChoiceField(choices=[f.value for f in Frequency])
    interval = serializers.IntegerField(min_value=1, max_value=99, required=False)
    day_of_month = serializers.IntegerField(
        min_value=-1,
        max_value=31,
        required=False,
        allow_null=True,
        help_text=_("1 to 31, or -1 for the last day of the month."),
    )
    weekday = serializers.IntegerField(
        min_value=0,
        max_value=6,
        required=False,
        allow_null=True,
        help_text=_("0 Monday to 6 Sunday."),
    )


@extend_schema_serializer(
    examples=[
        OpenApiExample(
            "Rent on the last day of each month",
            value={
                "name": "Rent",
                "template": {
                    "type": "outflow",
                    "account": "0b3e6a52-8f0e-4a8e-9c57-2d9c1f5e7a10",
                    "amount": "850.00",
                    "payee": "Landlord",
                },
                "rule": {"frequency": "monthly", "day_of_month": -1},
                "starts_on": "2026-11-30",
            },
            request_only=True,
        )
    ]
)
class RuleInput(serializers.Serializer):
    name = CharField(max_length=120, required=False, allow_blank=True)
    template = TemplateInput()
    rule = ScheduleFields()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(required=False, allow_null=True)
    count = serializers.IntegerField(
        min_value=1, max_value=10_000, required=False, allow_null=True
    )
    is_bill = BooleanField(required=False, default=False)


class RulePatchInput(serializers.Serializer):
    """What changes in place; it applies to the dates not yet recorded only."""

    name = CharField(max_length=120)
    amount = AmountField()
    category = UUIDField(allow_null=True)
    payee = CharField(max_length=120, allow_blank=True)
    description = CharField(max_length=500, allow_blank=True)


class ChangeInput(serializers.Serializer):
    from_date = serializers.DateField(
        help_text=_("Today or later; the dates before stay with the old rule.")
    )
    amount = AmountField(required=False)
    rule = ScheduleFields(required=False)


class SkipInput(serializers.Serializer):
    date = serializers.DateField()


class BillPaymentInput(serializers.Serializer):
    rule = UUIDField()
    date = serializers.DateField(help_text=_("The bill's due date."))


class TemplateOutput(serializers.Serializer):
    type = CharField()
    account = UUIDField(allow_null=True)
    from_account = UUIDField(allow_null=True)
    to_account = UUIDField(allow_null=True)
    amount = MoneyField()
    category = UUIDField(allow_null=True)
    payee = CharField()
    description = CharField()


class ScheduleOutput(serializers.Serializer):
    frequency = CharField()
    interval = serializers.IntegerField()
    day_of_month = serializers.IntegerField(allow_null=True)
    weekday = serializers.IntegerField(allow_null=True)


class RuleOutput(serializers.Serializer):
    id = UUIDField()
    name = CharField()
    template = TemplateOutput()
    rule = ScheduleOutput()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField(allow_null=True)
    count = serializers.IntegerField(allow_null=True)
    is_bill = BooleanField()
    paused = BooleanField()
    next_date = serializers.DateField(
        allow_null=True, help_text=_("The next date it records (or expects a bill).")
    )
    continued_as = UUIDField(
        allow_null=True, help_text=_("The rule it was changed into from a date on.")
    )
    created_at = serializers.DateTimeField()


class OccurrenceOutput(serializers.Serializer):
    rule = UUIDField(source="rule.id")
    name = CharField(source="rule.name")
    date = serializers.DateField(source="on")
    status = serializers.ChoiceField(
        choices=["upcoming", "recorded", "skipped", "overdue", "paid"]
    )
    amount = MoneyField()
    type = CharField(source="rule.template.kind")
    is_bill = BooleanField(source="rule.is_bill")
    transaction = UUIDField(source="transaction_id", allow_null=True)


class BillTotal(serializers.Serializer):
    state = serializers.ChoiceField(choices=["due", "paid", "upcoming", "overdue"])
    amount = MoneyField()


class BillsOutput(serializers.Serializer):
    month = CharField(help_text=_("YYYY-MM"))
    results = OccurrenceOutput(many=True)
    overdue = OccurrenceOutput(
        many=True, help_text=_("Unpaid bills before today, from any month.")
    )
    totals = BillTotal(
        many=True, help_text=_("The month's totals per state, one per currency.")
    )


class TransactionRef(serializers.Serializer):
    transaction = UUIDField()


class DayOutput(serializers.Serializer):
    date = serializers.DateField(source="on")
    balance = MoneyField()


@extend_schema_field(DayOutput(many=True))
class DaysField(serializers.Field):
    """Up to 366 days per account: written straight as `DayOutput` would, since
    going through a serializer per day costs more than the whole forecast."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Forecast) -> list[dict[str, Any]]:
        text = amount_writer(minor_units(value.currency))
        return [
            {
                "date": on,
                "balance": {
                    "amount": text(minor),
                    "currency": value.currency,
                },
            }
            for on, minor in zip(
                iso_dates(value.start, len(value.minors)), value.minors, strict=True
            )
        ]


@lru_cache(maxsize=16)
def iso_dates(start: date, count: int) -> tuple[str, ...]:
    """Every account of a forecast has the same days: write them once."""
    return tuple((start + timedelta(days=i)).isoformat() for i in range(count))


@extend_schema_field(serializers.ListField(child=serializers.DateField()))
class DatesField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: list[date]) -> list[str]:
        return [on.isoformat() for on in value]


class ForecastOutput(serializers.Serializer):
    currency = CharField()
    lowest = DayOutput()
    below_zero = DatesField()
    below_buffer = DatesField()
    days = DaysField()


class AccountForecastOutput(ForecastOutput):
    account = UUIDField()
    name = CharField()


class ForecastReportOutput(serializers.Serializer):
    today = serializers.DateField()
    days = serializers.ChoiceField(choices=HORIZONS)
    accounts = AccountForecastOutput(many=True)
    totals = ForecastOutput(
        many=True,
        help_text=_("All asset accounts together, one forecast per currency."),
    )
    total_in_base = ForecastOutput(
        allow_null=True,
        help_text=_(
            "All asset accounts together in the base currency, each currency's "
            "balance of each day converted at the rate of that day or the last "
            "before it; null for one account, or while a rate is missing."
        ),
    )
    missing_rates = serializers.ListField(
        child=CharField(),
        help_text=_("Currencies with no rate to the base currency for these days."),
    )


# `from` is a Python keyword, so the window's query is built by name.
WindowQuery = type(
    "WindowQuery",
    (QuerySerializer,),
    {
        "from": serializers.DateField(required=False, help_text="Default: today."),
        "to": serializers.DateField(
            required=False, help_text="Default: 90 days on; at most 366 days on."
        ),
    },
)


class BillsQuery(QuerySerializer):
    month = CharField(required=False, help_text="YYYY-MM; default this month.")


class ForecastQuery(QuerySerializer):
    days = serializers.ChoiceField(
        choices=HORIZONS, default=90, help_text="Default 90."
    )
    account = UUIDField(required=False, help_text="One account only.")
    buffer = CharField(
        required=False, help_text="The least balance wanted, e.g. 200.00."
    )
