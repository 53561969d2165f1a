"""Notifications in the admin: read-only, across tenants."""

from __future__ import annotations

from django.contrib import admin

from modules.notifications.infrastructure.models import Notification
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "read_at", "emailed_at", "tenant")
    list_filter = ("kind",)
    search_fields = ("=id", "=tenant__id", "=source_event_id")
    ordering = ("-created_at",)
