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
