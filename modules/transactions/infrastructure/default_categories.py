"""The starter categories every new tenant gets, named in the person's language."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from modules.transactions.domain.categories import CategoryKind
from modules.transactions.infrastructure.models import Category

INCOME = [
    _("Salary"),
    _("Business income"),
    _("Interest and dividends"),
    _("Gifts received"),
    _("Refunds"),
    _("Other income"),
]
EXPENSE_GROUPS = {
    _("Housing"): [_("Rent or mortgage"), _("Utilities"), _("Home maintenance")],
    _("Food"): [_("Groceries"), _("Restaurants and cafés")],
    _("Transport"): [_("Fuel"), _("Public transport"), _("Car maintenance")],
    _("Health"): [_("Doctor and pharmacy"), _("Insurance")],
    _("Lifestyle"): [
        _("Shopping"),
        _("Entertainment"),
        _("Travel"),
        _("Subscriptions"),
    ],
    _("Family"): [_("Childcare and education"), _("Gifts and donations")],
    _("Finance"): [_("Bank fees"), _("Taxes"), _("Loan interest")],
    _("Other"): [_("Other expenses")],
}


def create_default_categories(*, tenant_id: UUID, locale: str) -> None:
    """Idempotent: a tenant that already has categories gets nothing more."""
    if Category.all_tenants.filter(tenant_id=tenant_id).exists():
        return
    with translation.override(locale):
        rows = [
            Category(tenant_id=tenant_id, name=str(name), kind=CategoryKind.INCOME)
            for name in INCOME
        ]
        for group_name, children in EXPENSE_GROUPS.items():
            group = Category(
                tenant_id=tenant_id, name=str(group_name), kind=CategoryKind.EXPENSE
            )
            rows.append(group)
            rows += [
                Category(
                    tenant_id=tenant_id,
                    name=str(child),
                    kind=CategoryKind.EXPENSE,
                    parent=group,
                )
                for child in children
            ]
    Category.all_tenants.bulk_create(rows)


@receiver(
    post_save, sender="identity.Profile", dispatch_uid="transactions.default_categories"
)
def _seed_new_tenant(sender: Any, instance: Any, created: bool, **_: Any) -> None:
    """A new person's profile marks a new tenant. A model signal on a lazy reference
    keeps identity unaware of the ledger; the outbox's `tenant.created` replaces it."""
    if created:
        create_default_categories(tenant_id=instance.tenant_id, locale=instance.locale)
