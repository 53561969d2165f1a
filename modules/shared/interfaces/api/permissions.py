"""Who may read the operators' pages of the API (schema, docs)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class StaffUnlessDebug(BasePermission):
    """Anyone on a developer's machine; staff (signed in to the admin) in production,
    where the full schema would be a map for an attacker."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return bool(settings.DEBUG or request.user.is_staff)
