"""The super-admin's view of the ledger and of categories, across tenants.

The ledger is evidence: entries and postings are append-only (architecture §6), so
here they can be read and searched but never added, changed or deleted; a correction
is a reversal made by the person. Categories may be fixed by support; a category's
page runs as its tenant, so its group can only be one of that person's categories.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin
from modules.transactions.infrastructure.models import Category, Entry, Posting


class PostingInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Posting
    fields = ("account", "counterpart", "category", "amount_minor", "currency")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "occurred_on",
        "kind",
        "payee",
        "description",
        "tenant",
        "reverses",
        "created_at",
    )
    list_filter = ("kind", "occurred_on", "created_at")
    search_fields = ("id", "payee", "description", "tenant__id")
    fields = (
        "id",
        "tenant",
        "kind",
        "occurred_on",
        "payee",
        "description",
        "notes",
        "reverses",
        "created_at",
    )
    readonly_fields = fields
    inlines = (PostingInline,)
    list_select_related = ("tenant", "reverses")
    date_hierarchy = "occurred_on"
    list_per_page = 50


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    """For support: every line on one account, searched by the account's id."""

    list_display = (
        "occurred_on",
        "entry",
        "account",
        "counterpart",
        "category",
        "amount_minor",
        "currency",
        "tenant",
    )
    list_filter = ("counterpart", "currency", "occurred_on")
    search_fields = ("account__id", "entry__id", "tenant__id")
    list_select_related = ("entry", "account", "category", "tenant")
    list_per_page = 50


@admin.register(Category)
class CategoryAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """Editable, but never added or deleted here: postings point at categories, and
    archiving is how a person retires one."""

    list_display = ("name", "kind", "parent", "tenant", "archived", "created_at")
    list_filter = ("kind", ("archived_at", admin.EmptyFieldListFilter))
    search_fields = ("name", "id", "tenant__id")
    fields = ("id", "tenant", "name", "kind", "parent", "archived_at", "created_at")
    readonly_fields = ("id", "tenant", "kind", "created_at")
    list_select_related = ("tenant", "parent")
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def formfield_for_foreignkey(
        self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField | None:
        """Groups only: top-level categories of the edited one's tenant (the page
        runs as that tenant, so the default manager is already limited to it)."""
        if db_field.name == "parent":
            groups: QuerySet[Category] = Category.objects.filter(parent__isnull=True)
            kwargs["queryset"] = groups
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(boolean=True, description=_("archived"), ordering="archived_at")
    def archived(self, category: Category) -> bool:
        return category.archived_at is not None
