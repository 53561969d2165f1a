"""The one pagination of the API: cursors, `?limit=` (default 50, at most 100)."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class CursorPage(CursorPagination):
    page_size = 50
    page_size_query_param = "limit"
    max_page_size = 100
    ordering = "-created_at"
