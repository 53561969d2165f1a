"""Recording money in, money out and transfers; reversing; adjusting a balance."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from modules.shared.domain.errors import FieldProblem, NotFoundError, ValidationError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop
from modules.transactions.application.announcements import announce
from modules.transactions.application.ports import UnitOfWork
from modules.transactions.domain import ledger
from modules.transactions.domain.categories import CategoryKind
from modules.transactions.domain.ledger import EntryText, LedgerAccount


@dataclass(frozen=True, kw_only=True)
class RecordFlow:
    """Money in (`inflow`) or money out (`outflow`) of one account."""

    direction: ledger.EntryKind
    account_id: UUID
    amount: str
    on: date
    category_id: UUID | None = None
    text: EntryText = field(default_factory=EntryText)


@dataclass(frozen=True, kw_only=True)
class RecordTransfer:
    from_account_id: UUID
    to_account_id: UUID
    amount: str
    on: date
    to_amount: str | None = None
    text: EntryText = field(default_factory=EntryText)


FLOW_CATEGORY_KIND = {
    ledger.EntryKind.INFLOW: CategoryKind.INCOME,
    ledger.EntryKind.OUTFLOW: CategoryKind.EXPENSE,
}


def record_transaction(
    *, uow: UnitOfWork, command: RecordFlow | RecordTransfer
) -> UUID:
    with uow:
        entry = (
            _transfer(uow, command)
            if isinstance(command, RecordTransfer)
            else _flow(uow, command)
        )
        uow.entries.add(entry)
        announce(uow, entry)
    return entry.id


def _flow(uow: UnitOfWork, command: RecordFlow) -> ledger.JournalEntry:
    account = _accounts(uow, {"account": command.account_id})["account"]
    _check_category(uow, command.category_id, FLOW_CATEGORY_KIND[command.direction])
    build = (
        ledger.money_in
        if command.direction is ledger.EntryKind.INFLOW
        else ledger.money_out
    )
    return build(
        entry_id=uuid.uuid4(),
        account=account,
        amount=_parse(command.amount, account.currency, "amount"),
        on=command.on,
        category_id=command.category_id,
        text=command.text,
    )


def _transfer(uow: UnitOfWork, command: RecordTransfer) -> ledger.JournalEntry:
    found = _accounts(
        uow,
        {"from_account": command.from_account_id, "to_account": command.to_account_id},
    )
    source, target = found["from_account"], found["to_account"]
    to_amount = (
        _parse(command.to_amount, target.currency, "to_amount")
        if command.to_amount not in (None, "")
        else None
    )
    return ledger.transfer(
        entry_id=uuid.uuid4(),
        source=source,
        target=target,
        amount=_parse(command.amount, source.currency, "amount"),
        target_amount=to_amount,
        on=command.on,
        text=command.text,
    )


def reverse_transaction(
    *, uow: UnitOfWork, entry_id: UUID, on: date | None = None
) -> UUID:
    """The only way to undo a transaction: a mirror entry that points at it."""
    with uow:
        original = uow.entries.get(entry_id)
        if original is None:
            raise NotFoundError(gettext_noop("No such transaction."))
        uow.accounts.lock(original.account_ids)
        entry = ledger.reversal(
            entry_id=uuid.uuid4(),
            original=original,
            on=on or uow.today(),
            already_reversed=uow.entries.is_reversed(entry_id),
        )
        uow.entries.add(entry)
        announce(uow, entry)
    return entry.id


def adjust_balance(
    *, uow: UnitOfWork, account_id: UUID, balance: str, on: date
) -> UUID:
    """Record the difference between what the ledger says and what the bank says."""
    with uow:
        uow.accounts.lock([account_id])
        account = _accounts(uow, {"account": account_id})["account"]
        target = _parse(balance, account.currency, "balance")
        entry = ledger.adjustment(
            entry_id=uuid.uuid4(),
            account=account,
            ledger_balance=uow.entries.raw_balance(account.id, account.currency),
            target=target,
            on=on,
        )
        uow.entries.add(entry)
        announce(uow, entry)
    return entry.id


def record_opening_balance(
    *, uow: UnitOfWork, account: LedgerAccount, balance: Money, on: date
) -> UUID:
    with uow:
        entry = ledger.opening_balance(
            entry_id=uuid.uuid4(), account=account, balance=balance, on=on
        )
        uow.entries.add(entry)
        announce(uow, entry)
    return entry.id


def _accounts(uow: UnitOfWork, wanted: dict[str, UUID]) -> dict[str, LedgerAccount]:
    found = uow.accounts.ledger_accounts(wanted.values())
    missing = [name for name, account_id in wanted.items() if account_id not in found]
    if missing:
        message = gettext_noop("No such account.")
        raise NotFoundError(
            message,
            details=tuple(
                FieldProblem(field=name, code="not_found", message=message)
                for name in missing
            ),
        )
    return {name: found[account_id] for name, account_id in wanted.items()}


def _check_category(
    uow: UnitOfWork, category_id: UUID | None, kind: CategoryKind
) -> None:
    if category_id is None:
        return
    actual = uow.categories.kind_of(category_id)
    if actual is None:
        message = gettext_noop("No such category.")
        raise ValidationError(
            message,
            details=(
                FieldProblem(field="category", code="not_found", message=message),
            ),
        )
    if actual is not kind:
        message = gettext_noop(
            "Use an income category for money in and an expense category for money out."
        )
        raise ValidationError(
            message,
            details=(
                FieldProblem(field="category", code="wrong_kind", message=message),
            ),
        )


def _parse(text: str | None, currency: str, field_name: str) -> Money:
    """Strict parsing (no silent rounding), with the problem named on the request field."""
    if text is None:
        message = gettext_noop("This field is required.")
        raise ValidationError(
            message,
            details=(FieldProblem(field=field_name, code="required", message=message),),
        )
    try:
        return Money.parse(text, currency)
    except ValidationError as error:
        detail = error.details[0] if error.details else None
        raise ValidationError(
            error.message,
            details=(
                FieldProblem(
                    field=field_name,
                    code=detail.code if detail else "invalid",
                    message=detail.message if detail else error.message,
                ),
            ),
        ) from None
