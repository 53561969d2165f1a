"""The starter categories every new tenant gets, named in the person's language."""

from __future__ import annotations

from uuid import UUID

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from contracts.events.models import TenantCreated
from modules.live.api import DeliveredEvent
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


def seed_new_tenant(event: DeliveredEvent) -> None:
    """Outbox consumer: a new tenant gets its starter categories once."""
    if isinstance(event.data, TenantCreated):
        create_default_categories(tenant_id=event.tenant_id, locale=event.data.locale)
