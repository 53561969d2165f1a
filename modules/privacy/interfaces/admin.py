"""Exports in the admin: what was asked for and how it went; never the file itself."""

from __future__ import annotations

from django.contrib import admin

from modules.privacy.infrastructure.models import DataExport
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "status", "progress", "size_bytes", "tenant")
    list_filter = ("status",)
    search_fields = ("=id", "=tenant__id")
    ordering = ("-created_at",)
    exclude = ("file_name",)
