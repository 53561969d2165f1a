"""Request parsing as strict as the schema says."""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from rest_framework import serializers


class QuerySerializer(serializers.Serializer):
    """A query string read as a JSON object would be: `?account=` is an invalid id,
    not a missing one (DRF's form rule would silently drop it)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, QueryDict):
            data = data.dict()
        return super().to_internal_value(data)


class CharField(serializers.CharField):
    """Text, and only text: a JSON number or boolean where the schema says string is
    refused, not stored as "0" (DRF's own field turns numbers into text)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class BooleanField(serializers.BooleanField):
    """`true` or `false` in a JSON body (not 0, 1 or "yes"); a query string still
    says it in words (`?unread=true`)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(self.root, QuerySerializer) or isinstance(data, bool):
            return super().to_internal_value(data)
        self.fail("invalid", input=data)
