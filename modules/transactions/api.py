"""What other modules may use of the ledger. Everything else in
`modules.transactions` is private to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import F

from modules.shared.domain.money import Money
from modules.transactions.application.categories import CreateCategory, create_category
from modules.transactions.application.use_cases import (
    FlowSplit,
    RecordFlow,
    RecordSplitFlow,
    RecordSplitPayment,
    RecordTransfer,
    SplitShare,
    adjust_balance,
    record_batch,
    record_split_payment,
    record_transaction,
    reverse_transaction,
)
from modules.transactions.domain.categories import Category as CategoryView
from modules.transactions.domain.categories import CategoryKind
from modules.transactions.domain.ledger import EntryKind, EntryText
from modules.transactions.infrastructure.entry_rules import (
    EntryRules,
    connect_entry_rules,
)
from modules.transactions.infrastructure.export import export_sections
from modules.transactions.infrastructure.models import Category, Entry
from modules.transactions.infrastructure.rollups import (
    AccountMonthTotal,
    LineMonthTotal,
    account_month_totals,
    line_month_totals,
)
from modules.transactions.infrastructure.selectors import (
    Movement,
    TransactionView,
    account_movements,
    entries,
    transaction_view,
)
from modules.transactions.infrastructure.spending import (
    Spending,
    spending_by_category,
    spending_by_day,
)
from modules.transactions.infrastructure.uow import unit_of_work


def expense_category(name: str) -> UUID:
    """The current tenant's active expense category called `name` (ignoring case; a
    top-level one first), created at the top level when there is none."""
    found = (
        Category.objects.filter(
            kind=CategoryKind.EXPENSE, name__iexact=name, archived_at__isnull=True
        )
        .order_by(F("parent_id").asc(nulls_first=True), "created_at")
        .values_list("id", flat=True)
        .first()
    )
    if found is not None:
        return found
    return create_category(
        uow=unit_of_work(), command=CreateCategory(name=name, kind=CategoryKind.EXPENSE)
    )


def category_ids_by_name() -> dict[str, UUID]:
    """The current tenant's categories, by name."""
    return dict(Category.objects.values_list("name", "id"))


def expense_categories() -> list[CategoryView]:
    """The current tenant's expense categories and groups (archived ones too)."""
    return categories(CategoryKind.EXPENSE)


def categories(kind: CategoryKind | None = None) -> list[CategoryView]:
    """The current tenant's categories and groups of one kind or all (archived ones
    too)."""
    rows = (
        Category.objects.all() if kind is None else Category.objects.filter(kind=kind)
    )
    return [
        CategoryView(
            id=row.id,
            name=row.name,
            kind=CategoryKind(row.kind),
            parent_id=row.parent_id,
            archived_at=row.archived_at,
        )
        for row in rows.only("id", "name", "kind", "parent_id", "archived_at")
    ]


def recent_transactions(limit: int = 5) -> list[TransactionView]:
    """The current tenant's latest transactions, newest first: two queries."""
    return [transaction_view(row) for row in entries()[:limit]]


@dataclass(frozen=True, kw_only=True)
class Outflow:
    transaction_id: UUID
    account_id: UUID
    amount: Money
    payee: str
    on: date


def outflows(entry_ids: Iterable[UUID]) -> list[Outflow]:
    """The money-out transactions among these (a batch's), as bills match them."""
    rows = Entry.objects.filter(
        id__in=list(entry_ids), kind=EntryKind.OUTFLOW.value
    ).prefetch_related("postings")
    views = [transaction_view(row) for row in rows]
    return [
        Outflow(
            transaction_id=view.entry.id,
            account_id=view.account,
            amount=view.amount,
            payee=view.entry.payee,
            on=view.entry.occurred_on,
        )
        for view in views
        if view.account is not None
    ]


__all__ = [
    "AccountMonthTotal",
    "CategoryKind",
    "CategoryView",
    "EntryKind",
    "EntryRules",
    "EntryText",
    "FlowSplit",
    "LineMonthTotal",
    "Movement",
    "Outflow",
    "RecordFlow",
    "RecordSplitFlow",
    "RecordSplitPayment",
    "RecordTransfer",
    "Spending",
    "SplitShare",
    "TransactionView",
    "account_month_totals",
    "account_movements",
    "adjust_balance",
    "categories",
    "category_ids_by_name",
    "connect_entry_rules",
    "expense_categories",
    "expense_category",
    "export_sections",
    "line_month_totals",
    "outflows",
    "recent_transactions",
    "record_batch",
    "record_split_payment",
    "record_transaction",
    "reverse_transaction",
    "spending_by_category",
    "spending_by_day",
    "unit_of_work",
]
