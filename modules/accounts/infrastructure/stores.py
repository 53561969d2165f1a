"""Django implementations of the account ports, and the lookups the ledger uses
through `modules.accounts.api`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Expression

from modules.accounts.application.ports import Ledger
from modules.accounts.domain.accounts import Account, AccountKind
from modules.accounts.infrastructure.models import Account as AccountRow
from modules.shared.application.tenancy import current_tenant_id


def to_domain(row: AccountRow) -> Account:
    return Account(
        id=row.id,
        tenant_id=row.tenant_id,
        name=row.name,
        kind=AccountKind(row.kind),
        currency=row.currency,
        institution=row.institution,
        notes=row.notes,
        archived_at=row.archived_at,
    )


class DjangoAccountStore:
    def add(self, account: Account) -> None:
        AccountRow.objects.create(
            id=account.id,
            tenant_id=current_tenant_id(),
            name=account.name,
            kind=account.kind.value,
            currency=account.currency,
            institution=account.institution,
            notes=account.notes,
            archived_at=account.archived_at,
        )

    def get(self, account_id: UUID) -> Account | None:
        """Locked until commit (PostgreSQL), so two edits cannot undo each other."""
        row = (
            AccountRow.objects.select_for_update(no_key=True)
            .filter(id=account_id)
            .first()
        )
        return to_domain(row) if row else None

    def save(self, account: Account) -> None:
        AccountRow.objects.filter(id=account.id).update(
            name=account.name,
            institution=account.institution,
            notes=account.notes,
            archived_at=account.archived_at,
        )


def accounts_by_id(account_ids: Iterable[UUID]) -> dict[UUID, Account]:
    """The current tenant's accounts among these ids (others are simply absent)."""
    rows = AccountRow.objects.filter(id__in=list(account_ids)).order_by()
    return {row.id: to_domain(row) for row in rows}


def accounts_with_values(
    account_ids: Iterable[UUID], values: Mapping[str, Expression]
) -> tuple[dict[UUID, Account], dict[str, Any]]:
    """`accounts_by_id`, with values a caller's module reads in the same query
    (uncorrelated subqueries, carried on every row); no accounts, no values."""
    rows = list(
        AccountRow.objects.filter(id__in=list(account_ids))
        .annotate(**values)
        .order_by()
    )
    carried = {name: getattr(rows[0], name) for name in values} if rows else {}
    return {row.id: to_domain(row) for row in rows}, carried


def lock_accounts(account_ids: Iterable[UUID]) -> None:
    """Row locks (PostgreSQL) so balance-reading writes on one account queue up.

    `FOR NO KEY UPDATE`, not `FOR UPDATE`: the foreign-key checks of concurrent
    transfers take `FOR KEY SHARE` on the same rows, which `FOR UPDATE` would
    conflict with (and deadlock against); locks are taken in id order.
    """
    ids = sorted(set(account_ids))
    if ids and transaction.get_connection().features.has_select_for_update:
        rows = AccountRow.objects.select_for_update(no_key=True).filter(id__in=ids)
        list(rows.order_by("id").values_list("id"))


_ledger: Ledger | None = None


def connect_ledger(ledger: Ledger) -> None:
    """Called once by the ledger's app when Django starts."""
    global _ledger
    _ledger = ledger


def connected_ledger() -> Ledger:
    if _ledger is None:
        raise RuntimeError(
            "The ledger is not connected: is the transactions app installed?"
        )
    return _ledger
