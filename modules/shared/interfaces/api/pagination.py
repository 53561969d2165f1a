"""The one pagination of the API: cursors, `?limit=` (default 50, at most 100)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = "-created_at"


def page_schema(name: str, results: serializers.Serializer, **extra: Any) -> Any:
    """How the schema describes one page of `CursorPage`: the results with the
    cursors to the next and previous pages (and any `extra` fields of that list)."""
    return inline_serializer(
        name=name,
        fields={
            "results": results,
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            **extra,
        },
    )
