"""What other modules may use of the ledger. Everything else in
`modules.transactions` is private to it."""

from __future__ import annotations

from uuid import UUID

from modules.transactions.application.use_cases import (
    RecordFlow,
    RecordTransfer,
    adjust_balance,
    record_transaction,
    reverse_transaction,
)
from modules.transactions.domain.ledger import EntryKind, EntryText
from modules.transactions.infrastructure.export import export_sections
from modules.transactions.infrastructure.models import Category
from modules.transactions.infrastructure.uow import unit_of_work


def category_ids_by_name() -> dict[str, UUID]:
    """The current tenant's categories, by name."""
    return dict(Category.objects.values_list("name", "id"))


__all__ = [
    "EntryKind",
    "EntryText",
    "RecordFlow",
    "RecordTransfer",
    "adjust_balance",
    "category_ids_by_name",
    "export_sections",
    "record_transaction",
    "reverse_transaction",
    "unit_of_work",
]
