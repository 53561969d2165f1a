"""Opening, renaming and archiving accounts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from modules.accounts.application.ports import UnitOfWork
from modules.accounts.domain.accounts import Account, AccountKind
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.money import Money, normalize_currency
from modules.shared.domain.text import gettext_noop

EDITABLE_FIELDS = frozenset({"name", "institution", "notes", "archived"})


@dataclass(frozen=True, kw_only=True)
class OpenAccount:
    tenant_id: UUID
    name: str
    kind: AccountKind
    currency: str
    opened_on: date
    opening_balance: str | None = None
    institution: str = ""
    notes: str = ""


def open_account(*, uow: UnitOfWork, command: OpenAccount) -> Account:
    """Create the account and, if given, its opening balance entry, together."""
    currency = normalize_currency(command.currency)
    opening = (
        Money.parse(command.opening_balance, currency)
        if command.opening_balance not in (None, "")
        else None
    )
    account = Account(
        id=uuid.uuid4(),
        tenant_id=command.tenant_id,
        name=command.name.strip(),
        kind=command.kind,
        currency=currency,
    )
    with uow:
        uow.accounts.add(account, institution=command.institution, notes=command.notes)
        if opening is not None and not opening.is_zero():
            uow.ledger.record_opening_balance(
                account=account, balance=opening, on=command.opened_on
            )
    return account


def update_account(
    *, uow: UnitOfWork, account_id: UUID, changes: dict[str, object]
) -> Account:
    """Rename, describe, archive or restore; kind and currency never change."""
    with uow:
        account = uow.accounts.get(account_id)
        if account is None:
            raise NotFoundError(gettext_noop("No such account."))
        updates = {
            key: value for key, value in changes.items() if key in EDITABLE_FIELDS
        }
        if "archived" in updates:
            archived = bool(updates.pop("archived"))
            updates["archived_at"] = (
                (account.archived_at or uow.clock.now()) if archived else None
            )
        if "name" in updates:
            updates["name"] = str(updates["name"]).strip()
        if updates:
            uow.accounts.update(account_id, updates)
        refreshed = uow.accounts.get(account_id)
    assert refreshed is not None
    return refreshed
