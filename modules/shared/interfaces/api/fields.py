"""Request parsing as strict as the schema says."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

# Read by the pagination (`CursorPage`), not by the list's own query.
PAGING_PARAMETERS = frozenset({"cursor", "limit"})


class QuerySerializer(serializers.Serializer):
    """A query string read as a JSON object would be: `?account=` is an invalid id,
    not a missing one (DRF's form rule would silently drop it), and a parameter the
    list does not know (`?acount=`) is refused, not ignored."""

    default_error_messages = {"unknown": _("This parameter is not known here.")}

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, QueryDict):
            data = data.dict()
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields) - PAGING_PARAMETERS)
            if unknown:
                message = self.error_messages["unknown"]
                raise serializers.ValidationError(
                    {name: [message] for name in unknown}, code="unknown"
                )
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


class UUIDField(serializers.UUIDField):
    """An id written as text: a JSON number or boolean is refused (DRF's own field
    reads `true` as the id 00000000-0000-0000-0000-000000000001). A `UUID` passed in
    by our own code is one already."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str | uuid.UUID):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)
