"""Output shapes of the reports API: every figure in the base currency (null when
a rate is missing) with its per-currency detail, and the rates used."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.reports.domain.reports import Figure
from modules.shared.interfaces.api.fields import CharField, QuerySerializer, UUIDField
from modules.shared.interfaces.api.money import MoneyField, RateUsedOutput, rate_used

# A report's query, checked before it is read (`modules.reports.interfaces.params`,
# shared with the web pages, where a form's blank field means "not given"); here an
# empty or unknown parameter is refused. `from` is a Python keyword, so the
# serializers are built by name.
RangeQuery = type(
    "RangeQuery",
    (QuerySerializer,),
    {
        "from": CharField(required=False, help_text="First month, e.g. 2026-01."),
        "to": CharField(required=False, help_text="Last month (default this month)."),
        "interval": serializers.ChoiceField(required=False, choices=["month"]),
    },
)
SpendingQuery = type(
    "SpendingQuery",
    (RangeQuery,),
    {"by": serializers.ChoiceField(required=False, choices=["category", "group"])},
)


class CurrencyAmountsField(serializers.Field):
    """Per-currency detail of a figure: `{"USD": "12.50", ...}`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Figure) -> dict[str, str]:
        return {code: money.to_string() for code, money in value.by_currency.items()}


extend_schema_field({"type": "object", "additionalProperties": {"type": "string"}})(
    CurrencyAmountsField
)


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-01"}
)
class MonthField(serializers.DateField):
    """A month, written as `2026-01` (the schema says so: it is not a date)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m", **kwargs)


class Period(serializers.Serializer):
    period = MonthField(source="month")
    date = serializers.DateField(
        source="on", help_text=_("The day the figures are for and converted on.")
    )


def _base(name: str) -> MoneyField:
    return MoneyField(
        source=f"{name}.base",
        allow_null=True,
        help_text=_("In the base currency; null when a rate is missing."),
    )


class MissingAndRates(serializers.Serializer):
    missing_rates = serializers.SerializerMethodField(
        help_text=_("Currencies with no rate on or before the date.")
    )
    rates = serializers.SerializerMethodField()

    def _figures(self, item: Any) -> list[Figure]:
        raise NotImplementedError

    @extend_schema_field(serializers.ListField(child=CharField()))
    def get_missing_rates(self, item: Any) -> list[str]:
        return sorted({code for f in self._figures(item) for code in f.missing})

    @extend_schema_field(RateUsedOutput(many=True))
    def get_rates(self, item: Any) -> list[dict[str, str]]:
        used = {r.source_currency: r for f in self._figures(item) for r in f.rates}
        return [rate_used(used[code]) for code in sorted(used)]


class NetWorthOutput(Period, MissingAndRates):
    assets = _base("assets")
    liabilities = _base("liabilities")
    net_worth = _base("net")
    assets_by_currency = CurrencyAmountsField(source="assets")
    liabilities_by_currency = CurrencyAmountsField(source="liabilities")
    net_worth_by_currency = CurrencyAmountsField(source="net")

    def _figures(self, item: Any) -> list[Figure]:
        return [item.assets, item.liabilities]


class CashFlowOutput(Period, MissingAndRates):
    income = _base("income")
    spending = _base("spending")
    net = _base("net")
    savings_rate = serializers.DecimalField(
        max_digits=8,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=True,
        help_text=_("Net as a percentage of income; null without income."),
    )
    income_by_currency = CurrencyAmountsField(source="income")
    spending_by_currency = CurrencyAmountsField(source="spending")
    net_by_currency = CurrencyAmountsField(source="net")

    def _figures(self, item: Any) -> list[Figure]:
        return [item.income, item.spending]


class SpendingOutput(MissingAndRates):
    category = UUIDField(source="category_id", allow_null=True)
    name = CharField()
    group = UUIDField(source="group_id", allow_null=True)
    group_name = CharField()
    amount = _base("amount")
    share = serializers.DecimalField(
        max_digits=5,
        decimal_places=1,
        allow_null=True,
        coerce_to_string=True,
        help_text=_("Percent of all spending in the range, in the base currency."),
    )
    amount_by_currency = CurrencyAmountsField(source="amount")

    def _figures(self, item: Any) -> list[Figure]:
        return [item.amount]


class ReportOutput(serializers.Serializer):
    base_currency = CharField(source="range.base")
    interval = CharField(default="month")
    from_ = MonthField(source="range.first_day")
    to = MonthField(source="range.last_month")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class NetWorthReportOutput(ReportOutput):
    results = NetWorthOutput(many=True, source="points")


class CashFlowReportOutput(ReportOutput):
    results = CashFlowOutput(many=True, source="points")


class SpendingReportOutput(ReportOutput):
    by = serializers.SerializerMethodField()
    results = SpendingOutput(many=True, source="breakdown.rows")
    total = _base("breakdown.total")
    total_by_currency = CurrencyAmountsField(source="breakdown.total")

    @extend_schema_field(serializers.ChoiceField(choices=["category", "group"]))
    def get_by(self, report: Any) -> str:
        return "group" if report.by_group else "category"
