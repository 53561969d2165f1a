"""The super-admin's view of recurring rules and their occurrences, across tenants.

Support may correct a rule's name, payee or note; the schedule, the amount, pausing
and the occurrences (what was recorded, and when) go through the person's own pages,
so they are read only here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


class OccurrenceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Occurrence
    fields = ("on", "status", "transaction_id", "overdue_notified_at")
    readonly_fields = fields
    extra = 0
    ordering = ("-on",)
    max_num = 0
    show_change_link = False


@admin.register(RecurringRule)
class RecurringRuleAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "frequency",
        "interval",
        "currency",
        "is_bill",
        "paused",
        "next_due_on",
        "tenant",
    )
    list_filter = ("kind", "frequency", "is_bill", "paused")
    search_fields = ("name", "payee", "id", "tenant__id")
    readonly_fields = (
        "id",
        "tenant",
        "kind",
        "account_id",
        "to_account_id",
        "amount_minor",
        "currency",
        "category_id",
        "frequency",
        "interval",
        "day_of_month",
        "weekday",
        "starts_on",
        "ends_on",
        "count",
        "is_bill",
        "paused",
        "swept_through",
        "next_due_on",
        "replaced_by",
        "created_at",
    )
    fields = ("name", "payee", "note", *readonly_fields)
    inlines = (OccurrenceInline,)
    list_select_related = ("tenant",)
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Occurrence)
class OccurrenceAdmin(TenantScopedAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("on", "rule", "status", "transaction_id", "tenant")
    list_filter = ("status", "on")
    search_fields = ("rule__name", "transaction_id", "tenant__id")
    list_select_related = ("rule", "tenant")
    date_hierarchy = "on"
    list_per_page = 50
