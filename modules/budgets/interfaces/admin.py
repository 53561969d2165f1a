"""The super-admin's view of budgets and the alerts they sent, across tenants.

Support may rename, change a limit or archive; the category, period and currency
stay as the person chose them, and alerts are a record, read-only.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modules.budgets.infrastructure.models import Budget, BudgetAlert
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


@admin.register(Budget)
class BudgetAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "period",
        "limit_minor",
        "currency",
        "rollover",
        "tenant",
        "archived",
    )
    list_filter = ("period", "rollover", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "id", "tenant__id")
    fields = (
        "id",
        "tenant",
        "name",
        "category",
        "period",
        "currency",
        "limit_minor",
        "rollover",
        "starts_on",
        "archived_at",
        "created_at",
    )
    readonly_fields = ("id", "tenant", "category", "period", "currency", "created_at")
    list_select_related = ("tenant",)
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(boolean=True, description=_("archived"), ordering="archived_at")
    def archived(self, budget: Budget) -> bool:
        return budget.archived_at is not None


@admin.register(BudgetAlert)
class BudgetAlertAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("budget", "period_starts_on", "threshold", "tenant", "created_at")
    list_filter = ("threshold", "period_starts_on")
    search_fields = ("budget__id", "tenant__id")
    list_select_related = ("budget", "tenant")
    list_per_page = 50
