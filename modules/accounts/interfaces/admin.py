"""The super-admin's view of people's accounts, across tenants.

Accounts are opened by their owners (with an opening-balance entry in the ledger), and
their history depends on them, so the admin neither adds nor deletes them; support may
correct a name or archive one. Kind and currency never change.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modules.accounts.domain.rates import checked_pair, parse_rate
from modules.accounts.infrastructure.models import Account, ExchangeRate, ReferenceRate
from modules.shared.domain.errors import ValidationError
from modules.shared.interfaces.admin import TenantScopedAdminMixin


@admin.register(Account)
class AccountAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "currency", "tenant", "archived", "created_at")
    list_filter = (
        "kind",
        "currency",
        ("archived_at", admin.EmptyFieldListFilter),
        "created_at",
    )
    search_fields = ("name", "id", "tenant__id")
    fields = (
        "id",
        "tenant",
        "name",
        "kind",
        "currency",
        "institution",
        "notes",
        "archived_at",
        "created_at",
    )
    readonly_fields = ("id", "tenant", "kind", "currency", "created_at")
    list_select_related = ("tenant",)
    date_hierarchy = "created_at"
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(boolean=True, description=_("archived"), ordering="archived_at")
    def archived(self, account: Account) -> bool:
        return account.archived_at is not None


@admin.register(ExchangeRate)
class ExchangeRateAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    """A person's own rates: support may read them, the person enters them."""

    list_display = ("day", "base", "quote", "rate", "tenant")
    list_filter = ("base", "quote")
    search_fields = ("tenant__id",)
    readonly_fields = ("tenant", "base", "quote", "day", "rate", "created_at")
    list_select_related = ("tenant",)
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class ReferenceRateForm(forms.ModelForm):
    class Meta:
        model = ReferenceRate
        fields = ("source", "base", "quote", "day", "rate")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            data["base"], data["quote"] = checked_pair(
                data.get("base", ""), data.get("quote", "")
            )
            data["rate"] = format(parse_rate(data.get("rate", "")), "f")
        except ValidationError as error:
            raise forms.ValidationError(_(error.message)) from None
        return data


@admin.register(ReferenceRate)
class ReferenceRateAdmin(admin.ModelAdmin):
    """Published rates, the same for every tenant: loaded by `load_exchange_rates`
    or entered here by an admin."""

    form = ReferenceRateForm
    list_display = ("day", "base", "quote", "rate", "source")
    list_filter = ("source", "base", "quote")
    date_hierarchy = "day"
    list_per_page = 100
