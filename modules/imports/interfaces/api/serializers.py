"""Input and output shapes of the imports, import profiles and rules API."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from modules.imports.domain.dedupe import RowAction
from modules.imports.domain.imports import ImportStatus
from modules.imports.domain.mapping import DATE_FORMATS, SEPARATORS, CsvMapping
from modules.imports.domain.rules import Direction, Operator, Rule, TextField
from modules.imports.infrastructure import selectors
from modules.imports.infrastructure.models import (
    StatementImport,
)
from modules.shared.interfaces.api.fields import BooleanField, CharField, UUIDField
from modules.shared.interfaces.api.money import AmountField, MoneyField


class CsvMappingFields(serializers.Serializer):
    """How to read a CSV: columns by their header text."""

    date = CharField(max_length=80)
    date_format = serializers.ChoiceField(
        choices=[*DATE_FORMATS, ""],
        required=False,
        help_text=gettext_lazy("Empty: detected."),
    )
    amount = CharField(max_length=80, required=False, allow_blank=True)
    debit = CharField(max_length=80, required=False, allow_blank=True)
    credit = CharField(max_length=80, required=False, allow_blank=True)
    payee = CharField(max_length=80, required=False, allow_blank=True)
    description = CharField(max_length=80, required=False, allow_blank=True)
    reference = CharField(max_length=80, required=False, allow_blank=True)
    separator = serializers.ChoiceField(choices=SEPARATORS, required=False)
    encoding = serializers.ChoiceField(
        choices=["", "utf-8", "utf-8-sig", "latin-1", "cp1252", "iso8859-15"],
        required=False,
    )
    skip_rows = serializers.IntegerField(min_value=0, max_value=100, required=False)
    decimal_comma = BooleanField(required=False)

    def to_mapping(self) -> CsvMapping:
        return CsvMapping(**self.validated_data)


class MappingJSONField(serializers.JSONField):
    """A mapping sent as a JSON string inside a multipart upload."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str):
            try:
                data = json.loads(data)
            except ValueError:
                raise serializers.ValidationError(
                    _("Send the mapping as a JSON object.")
                ) from None
        fields = CsvMappingFields(data=data)
        fields.is_valid(raise_exception=True)
        return fields.to_mapping()


class UploadInput(serializers.Serializer):
    file = serializers.FileField()
    account = UUIDField()
    profile = UUIDField(required=False)
    mapping = MappingJSONField(
        required=False,
        help_text=gettext_lazy("For a CSV without a profile: a JSON object."),
    )
    source_account = CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("For a file with several accounts: the one to import."),
    )


class MappingInput(serializers.Serializer):
    mapping = CsvMappingFields(required=False)
    profile = UUIDField(required=False)
    save_as = CharField(
        max_length=80,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Keep the mapping as a profile of this name."),
    )


# What a position column holds on every database (PostgreSQL's `integer`): a larger
# number is refused as input, not a server error at the insert.
MAX_POSITION = 2**31 - 1


class RowChoiceInput(serializers.Serializer):
    position = serializers.IntegerField(min_value=0, max_value=MAX_POSITION)
    action = serializers.ChoiceField(
        choices=[a.value for a in RowAction], required=False
    )
    category = UUIDField(required=False, allow_null=True)


class ConfirmationInput(serializers.Serializer):
    rows = RowChoiceInput(many=True, required=False)


class SplitOutput(serializers.Serializer):
    amount = MoneyField(source="money")
    category = UUIDField(source="category_id", allow_null=True)
    statement_category = CharField(source="name")
    memo = CharField()


class ImportRowOutput(serializers.Serializer):
    position = serializers.IntegerField()
    line = serializers.IntegerField()
    date = serializers.DateField(source="occurred_on")
    amount = MoneyField(source="money")
    payee = CharField()
    description = CharField()
    reference = CharField()
    status = CharField()
    action = CharField()
    category = UUIDField(source="category_id", allow_null=True)
    transfer_to = UUIDField(allow_null=True)
    match = UUIDField(source="match_entry_id", allow_null=True)
    transaction = UUIDField(source="entry_id", allow_null=True)
    splits = SplitOutput(source="shares", many=True)


class SummaryOutput(serializers.Serializer):
    new = serializers.IntegerField()
    duplicate = serializers.IntegerField()
    match = serializers.IntegerField()
    skipped = serializers.IntegerField()


class SkippedOutput(serializers.Serializer):
    line = serializers.IntegerField()
    reason = CharField()


class SampleOutput(serializers.Serializer):
    separator = CharField()
    skip_rows = serializers.IntegerField()
    header = serializers.ListField(child=CharField())
    rows = serializers.ListField(child=serializers.ListField(child=CharField()))
    date_formats = serializers.DictField(child=serializers.ListField(child=CharField()))


class ImportOutput(serializers.Serializer):
    id = UUIDField()
    account = UUIDField(source="account_id")
    profile = UUIDField(source="profile_id", allow_null=True)
    file_name = CharField()
    format = CharField()
    status = CharField()
    progress = serializers.IntegerField()
    error = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()
    skipped = serializers.SerializerMethodField()
    rows = serializers.SerializerMethodField()
    sample = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField()
    recorded_at = serializers.DateTimeField(allow_null=True)
    undone_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(CharField(allow_null=True))
    def get_error(self, obj: StatementImport) -> str | None:
        return selectors.error_text(obj, _) or None

    @extend_schema_field(SummaryOutput)
    def get_summary(self, obj: StatementImport) -> dict[str, int]:
        return SummaryOutput(selectors.summary(obj)).data  # type: ignore[return-value]

    @extend_schema_field(SkippedOutput(many=True))
    def get_skipped(self, obj: StatementImport) -> list[dict[str, Any]]:
        return SkippedOutput(selectors.skipped_lines(obj, _), many=True).data  # type: ignore[return-value]

    @extend_schema_field(SampleOutput(allow_null=True))
    def get_sample(self, obj: StatementImport) -> dict[str, Any] | None:
        if obj.status != ImportStatus.MAPPING:
            return None
        return SampleOutput(selectors.csv_sample(obj)).data  # type: ignore[return-value]

    @extend_schema_field(ImportRowOutput(many=True))
    def get_rows(self, obj: StatementImport) -> list[dict[str, Any]]:
        return ImportRowOutput(selectors.preview_rows(obj.id), many=True).data  # type: ignore[return-value]


class ProfileInput(serializers.Serializer):
    name = CharField(max_length=80)
    mapping = CsvMappingFields()


class ProfileOutput(serializers.Serializer):
    id = UUIDField()
    name = CharField()
    mapping = serializers.JSONField()
    created_at = serializers.DateTimeField()


class ConditionFields(serializers.Serializer):
    field = serializers.ChoiceField(choices=[f.value for f in TextField])
    operator = serializers.ChoiceField(choices=[o.value for o in Operator])
    value = CharField(max_length=200)


class ActionFields(serializers.Serializer):
    category = UUIDField(required=False, allow_null=True)
    payee = CharField(max_length=120, required=False, allow_blank=True)
    transfer_to = UUIDField(required=False, allow_null=True)


class CategoryRuleInput(serializers.Serializer):
    name = CharField(max_length=80)
    position = serializers.IntegerField(
        min_value=0, max_value=MAX_POSITION, required=False
    )
    conditions = ConditionFields(many=True, required=False)
    amount_min = AmountField(required=False, allow_null=True)
    amount_max = AmountField(required=False, allow_null=True)
    account = UUIDField(required=False, allow_null=True)
    direction = serializers.ChoiceField(
        choices=[d.value for d in Direction], required=False, allow_null=True
    )
    actions = ActionFields()


class CategoryRuleOutput(serializers.Serializer):
    id = UUIDField()
    name = CharField()
    position = serializers.IntegerField()
    conditions = ConditionFields(many=True)
    amount_min = CharField(allow_null=True)
    amount_max = CharField(allow_null=True)
    account = UUIDField(source="account_id", allow_null=True)
    direction = CharField(allow_null=True)
    actions = ActionFields()

    def to_representation(self, instance: Rule) -> dict[str, Any]:
        return {
            "id": str(instance.id),
            "name": instance.name,
            "position": instance.position,
            "conditions": [
                {"field": c.field.value, "operator": c.operator.value, "value": c.value}
                for c in instance.conditions
            ],
            "amount_min": _amount(instance.amount_min),
            "amount_max": _amount(instance.amount_max),
            "account": _id(instance.account_id),
            "direction": instance.direction.value if instance.direction else None,
            "actions": {
                "category": _id(instance.outcome.category_id),
                "payee": instance.outcome.payee,
                "transfer_to": _id(instance.outcome.transfer_to),
            },
        }


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _id(value: UUID | None) -> str | None:
    return None if value is None else str(value)


class ChangeOutput(serializers.Serializer):
    transaction = UUIDField()
    date = serializers.DateField()
    payee = CharField()
    amount = CharField()
    category = UUIDField(allow_null=True)
    new_category = UUIDField(allow_null=True)
    new_payee = CharField()
    transfer_to = UUIDField(allow_null=True)


class DryRunOutput(serializers.Serializer):
    changes = ChangeOutput(many=True)


class ApplicationOutput(serializers.Serializer):
    corrected = serializers.IntegerField()
