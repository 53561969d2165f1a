"""The super-admin's view of people's loans, across tenants.

A loan's history is in the ledger and its schedule follows from its rows, so the
admin reads loans, their re-plan events and payments, and may only rename a loan
(archiving goes through the person's pages, with its account); it adds and deletes
nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from modules.loans.infrastructure.models import Loan, LoanEvent, LoanPayment
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


class LoanEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LoanEvent
    fields = ("kind", "occurs_on", "amount_minor", "effect", "annual_rate", "entry")
    extra = 0


class LoanPaymentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = LoanPayment
    fields = ("number", "paid_on", "principal_minor", "interest_minor", "entry")
    extra = 0


@admin.register(Loan)
class LoanAdmin(TenantScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "method",
        "currency",
        "annual_rate",
        "term_months",
        "tenant",
        "archived",
        "created_at",
    )
    list_filter = (
        "method",
        "currency",
        "recurring_payments",
        ("archived_at", admin.EmptyFieldListFilter),
    )
    search_fields = ("name", "id", "tenant__id")
    fields = (
        "id",
        "tenant",
        "name",
        "account",
        "paid_from",
        "interest_category",
        "currency",
        "principal_minor",
        "annual_rate",
        "term_months",
        "first_payment_on",
        "method",
        "recurring_payments",
        "archived_at",
        "created_at",
    )
    readonly_fields = (
        "id",
        "tenant",
        "account",
        "paid_from",
        "interest_category",
        "currency",
        "principal_minor",
        "annual_rate",
        "term_months",
        "first_payment_on",
        "method",
        "recurring_payments",
        "archived_at",
        "created_at",
    )
    inlines = (LoanEventInline, LoanPaymentInline)
    list_select_related = ("tenant",)
    list_per_page = 50

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(boolean=True, description=_("archived"), ordering="archived_at")
    def archived(self, loan: Loan) -> bool:
        return loan.archived_at is not None
