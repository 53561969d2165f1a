"""Exports and account closures in the admin: what was asked for and how it went;
never an export's file. Both are read-only: a closure is taken back only through
the link mailed to its owner."""

from __future__ import annotations

from django.contrib import admin

from modules.privacy.infrastructure.models import AccountClosure, DataExport
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


@admin.register(DataExport)
class DataExportAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "status", "progress", "size_bytes", "tenant")
    list_filter = ("status",)
    search_fields = ("=id", "=tenant__id")
    ordering = ("-created_at",)
    exclude = ("file_name",)


@admin.register(AccountClosure)
class AccountClosureAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("closed_at", "erase_after", "reopened_at", "tenant")
    search_fields = ("=id", "=tenant__id")
    ordering = ("-closed_at",)
