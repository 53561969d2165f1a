"""Opening, renaming and archiving accounts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID

from modules.accounts.application.ports import UnitOfWork
from modules.accounts.domain.accounts import Account, AccountKind
from modules.shared.application.commands import (
    UNCHANGED,
    Unchanged,
    archived_at,
    given,
)
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.money import Money, normalize_currency
from modules.shared.domain.names import clean_name
from modules.shared.domain.text import gettext_noop


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
        Money.parse(command.opening_balance, currency, signed=True)
        if command.opening_balance not in (None, "")
        else None
    )
    account = Account(
        id=uuid.uuid4(),
        tenant_id=command.tenant_id,
        name=_clean_name(command.name),
        kind=command.kind,
        currency=currency,
        institution=command.institution,
        notes=command.notes,
    )
    with uow:
        uow.accounts.add(account)
        if opening is not None and not opening.is_zero():
            uow.ledger.record_opening_balance(
                account=account, balance=opening, on=command.opened_on
            )
    return account


@dataclass(frozen=True, kw_only=True)
class UpdateAccount:
    """Rename, describe, archive or restore; kind and currency never change."""

    account_id: UUID
    name: str | Unchanged = UNCHANGED
    institution: str | Unchanged = UNCHANGED
    notes: str | Unchanged = UNCHANGED
    archived: bool | Unchanged = UNCHANGED


def update_account(*, uow: UnitOfWork, command: UpdateAccount) -> Account:
    """Archiving an archived account keeps the day it was first archived."""
    with uow:
        account = uow.accounts.get(command.account_id)
        if account is None:
            raise NotFoundError(gettext_noop("No such account."))
        updated = replace(
            account,
            name=(
                account.name if command.name is UNCHANGED else _clean_name(command.name)
            ),
            institution=given(command.institution, account.institution),
            notes=given(command.notes, account.notes),
            archived_at=archived_at(
                account.archived_at, command.archived, now=uow.clock.now()
            ),
        )
        if updated != account:
            uow.accounts.save(updated)
    return updated


def _clean_name(name: str) -> str:
    return clean_name(
        name, field="name", empty_message=gettext_noop("Give the account a name.")
    )
