"""What other modules may use of the ledger. Everything else in
`modules.transactions` is private to it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from modules.shared.domain.money import Money
from modules.transactions.application.use_cases import (
    RecordFlow,
    RecordTransfer,
    adjust_balance,
    record_batch,
    record_transaction,
    reverse_transaction,
)
from modules.transactions.domain.ledger import EntryKind, EntryText
from modules.transactions.infrastructure.models import Category, Entry
from modules.transactions.infrastructure.selectors import transaction_view
from modules.transactions.infrastructure.uow import unit_of_work


def category_ids_by_name() -> dict[str, UUID]:
    """The current tenant's categories, by name."""
    return dict(Category.objects.values_list("name", "id"))


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
    "EntryKind",
    "EntryText",
    "Outflow",
    "RecordFlow",
    "RecordTransfer",
    "adjust_balance",
    "category_ids_by_name",
    "outflows",
    "record_batch",
    "record_transaction",
    "reverse_transaction",
    "unit_of_work",
]
