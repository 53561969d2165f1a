"""Imports in the admin, read only: how each went, never the file's contents nor its
lines' text (personal data); profiles and rules as the person saved them."""

from __future__ import annotations

from django.contrib import admin

from modules.imports.infrastructure.models import (
    ImportProfile,
    ImportRule,
    StatementImport,
)
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


@admin.register(StatementImport)
class StatementImportAdmin(
    ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin
):
    list_display = ("created_at", "format", "status", "progress", "tenant")
    list_filter = ("status", "format")
    search_fields = ("=id", "=tenant__id")
    ordering = ("-created_at",)
    exclude = ("content", "file_name", "skipped", "mapping", "source_account")


@admin.register(ImportProfile)
class ImportProfileAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "created_at", "tenant")
    search_fields = ("=id", "=tenant__id")


@admin.register(ImportRule)
class ImportRuleAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "position", "created_at", "tenant")
    search_fields = ("=id", "=tenant__id")
    exclude = ("conditions", "payee")
