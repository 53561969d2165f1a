"""Recording money in, money out and transfers; reversing; adjusting a balance."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from uuid import UUID

from modules.shared.domain.errors import (
    DomainError,
    FieldProblem,
    NotFoundError,
    ValidationError,
)
from modules.shared.domain.money import Money
from modules.shared.domain.names import clean_optional_name
from modules.shared.domain.text import gettext_noop
from modules.transactions.application.announcements import announce
from modules.transactions.application.ports import Directory, UnitOfWork
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


@dataclass(frozen=True, kw_only=True)
class FlowSplit:
    """A share of a split money in or out: `amount` signed as the account sees it
    (`-15.00` spent, `82.50` received)."""

    amount: str
    category_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class RecordSplitFlow:
    """One movement of one account in several categories, as one entry."""

    account_id: UUID
    shares: tuple[FlowSplit, ...]
    on: date
    text: EntryText = field(default_factory=EntryText)


FLOW_CATEGORY_KIND = {
    ledger.EntryKind.INFLOW: CategoryKind.INCOME,
    ledger.EntryKind.OUTFLOW: CategoryKind.EXPENSE,
}
MAX_BATCH = 500

Command = RecordFlow | RecordTransfer | RecordSplitFlow
HandEntryRules = Callable[[RecordFlow], RecordFlow]


def record_transaction(
    *, uow: UnitOfWork, command: Command, rules: HandEntryRules | None = None
) -> UUID:
    """One transaction. Entered by hand, money in or out passes through the
    tenant's entry `rules` first (ADR 0017), asked only when the tenant has some."""
    with uow:
        found = _directory(uow, [command], rules=rules is not None)
        if rules and found.has_rules and isinstance(command, RecordFlow):
            command, found = _with_rules(uow, rules(command), found)
        entry = _build(found, command)
        balances = uow.entries.add_all([entry])
        announce(uow, [entry], balances=balances, accounts=found.accounts)
    return entry.id


def record_batch(*, uow: UnitOfWork, commands: Sequence[Command]) -> list[UUID]:
    """Up to 500 transactions, all or none: one lookup, one write, one event per
    account. A refusal names the command by its position (`transactions[3].amount`)."""
    if not 1 <= len(commands) <= MAX_BATCH:
        raise ValidationError.for_field(
            "transactions",
            gettext_noop("Send between 1 and 500 transactions."),
            code="batch_size",
        )
    with uow:
        found = _directory(uow, commands)
        entries = [_build_at(found, index, c) for index, c in enumerate(commands)]
        balances = uow.entries.add_all(entries)
        announce(
            uow, entries, balances=balances, accounts=found.accounts, as_batch=True
        )
    return [entry.id for entry in entries]


def _directory(
    uow: UnitOfWork, commands: Sequence[Command], *, rules: bool = False
) -> Directory:
    account_ids = {a for command in commands for a in _account_ids(command)}
    category_ids = {
        category_id
        for command in commands
        for category_id in _category_ids(command)
        if category_id is not None
    }
    return uow.accounts.look_up(account_ids, category_ids, rules=rules)


def _with_rules(
    uow: UnitOfWork, command: RecordFlow, found: Directory
) -> tuple[RecordFlow, Directory]:
    """The command as the rules completed it; a category they chose is looked up."""
    chosen = command.category_id
    if chosen is None or chosen in found.category_kinds:
        return command, found
    kinds = found.category_kinds | uow.categories.kinds_of([chosen])
    return command, replace(found, category_kinds=kinds)


def _category_ids(command: Command) -> tuple[UUID | None, ...]:
    if isinstance(command, RecordSplitFlow):
        return tuple(share.category_id for share in command.shares)
    if isinstance(command, RecordFlow):
        return (command.category_id,)
    return ()


def _account_ids(command: Command) -> tuple[UUID, ...]:
    if isinstance(command, RecordTransfer):
        return (command.from_account_id, command.to_account_id)
    return (command.account_id,)


def _build_at(found: Directory, index: int, command: Command) -> ledger.JournalEntry:
    try:
        return _build(found, command)
    except DomainError as error:
        prefix = f"transactions[{index}]"
        details = tuple(
            replace(detail, field=f"{prefix}.{detail.field}")
            for detail in error.details
        ) or (FieldProblem(field=prefix, code="invalid", message=error.message),)
        raise type(error)(error.message, code=error.code, details=details) from None


def _build(found: Directory, command: Command) -> ledger.JournalEntry:
    if isinstance(command, RecordTransfer):
        return _transfer(found, command)
    if isinstance(command, RecordSplitFlow):
        return _split_flow(found, command)
    return _flow(found, command)


def _split_flow(found: Directory, command: RecordSplitFlow) -> ledger.JournalEntry:
    """Each share's category must be of its direction's kind: income for money in."""
    account = _accounts(found, {"account": command.account_id})["account"]
    shares = []
    for share in command.shares:
        amount = _parse(share.amount, account.currency, "amount", signed=True)
        direction = (
            ledger.EntryKind.INFLOW
            if amount.is_positive()
            else ledger.EntryKind.OUTFLOW
        )
        _check_category(found, share.category_id, FLOW_CATEGORY_KIND[direction])
        shares.append(ledger.FlowShare(amount=amount, category_id=share.category_id))
    return ledger.split_flow(
        entry_id=uuid.uuid4(),
        account=account,
        shares=tuple(shares),
        on=command.on,
        text=_named(command.text),
    )


def _flow(found: Directory, command: RecordFlow) -> ledger.JournalEntry:
    account = _accounts(found, {"account": command.account_id})["account"]
    _check_category(found, command.category_id, FLOW_CATEGORY_KIND[command.direction])
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
        text=_named(command.text),
    )


def _transfer(found: Directory, command: RecordTransfer) -> ledger.JournalEntry:
    accounts = _accounts(
        found,
        {"from_account": command.from_account_id, "to_account": command.to_account_id},
    )
    source, target = accounts["from_account"], accounts["to_account"]
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
        text=_named(command.text),
    )


@dataclass(frozen=True, kw_only=True)
class SplitShare:
    """A share of a split payment: to the account `account_id`, or spent in the
    expense category `category_id`."""

    amount: str
    account_id: UUID | None = None
    category_id: UUID | None = None


@dataclass(frozen=True, kw_only=True)
class RecordSplitPayment:
    from_account_id: UUID
    shares: tuple[SplitShare, ...]
    on: date
    text: EntryText = field(default_factory=EntryText)


def record_split_payment(*, uow: UnitOfWork, command: RecordSplitPayment) -> UUID:
    """One entry paying several shares out of one account: double entry and the
    monthly totals as for any transaction."""
    wanted = {"from_account": command.from_account_id} | {
        f"shares[{i}].account": share.account_id
        for i, share in enumerate(command.shares)
        if share.account_id is not None
    }
    category_ids = {s.category_id for s in command.shares if s.category_id is not None}
    with uow:
        found = Directory(
            accounts=uow.accounts.ledger_accounts(set(wanted.values())),
            category_kinds=uow.categories.kinds_of(category_ids),
        )
        accounts = _accounts(found, wanted)
        source = accounts["from_account"]
        lines = []
        for share in command.shares:
            if share.account_id is None:
                _check_category(found, share.category_id, CategoryKind.EXPENSE)
            lines.append(
                ledger.SplitLine(
                    amount=_parse(share.amount, source.currency, "amount"),
                    account=found.accounts.get(share.account_id)
                    if share.account_id
                    else None,
                    category_id=share.category_id,
                )
            )
        entry = ledger.split_payment(
            entry_id=uuid.uuid4(),
            source=source,
            lines=tuple(lines),
            on=command.on,
            text=command.text,
        )
        _save_and_announce(uow, entry, found.accounts)
    return entry.id


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
            on=on or uow.clock.today(),
            already_reversed=uow.entries.is_reversed(entry_id),
        )
        _save_and_announce(uow, entry, uow.accounts.ledger_accounts(entry.account_ids))
    return entry.id


def adjust_balance(
    *, uow: UnitOfWork, account_id: UUID, balance: str, on: date
) -> UUID:
    """Record the difference between what the ledger says and what the bank says."""
    return _set_balance(
        uow=uow,
        account_id=account_id,
        text=balance,
        on=on,
        field_name="balance",
        build=lambda account, raw, target: ledger.adjustment(
            entry_id=uuid.uuid4(),
            account=account,
            ledger_balance=raw,
            target=target,
            on=on,
        ),
    )


def record_valuation(
    *, uow: UnitOfWork, account_id: UUID, value: str, on: date
) -> UUID:
    """A new market value of an asset, recorded as a revaluation entry."""
    return _set_balance(
        uow=uow,
        account_id=account_id,
        text=value,
        on=on,
        field_name="value",
        build=lambda account, raw, target: ledger.revaluation(
            entry_id=uuid.uuid4(),
            account=account,
            ledger_balance=raw,
            value=target,
            on=on,
        ),
    )


def _set_balance(
    *,
    uow: UnitOfWork,
    account_id: UUID,
    text: str,
    on: date,
    field_name: str,
    build: Callable[[LedgerAccount, Money, Money], ledger.JournalEntry],
) -> UUID:
    """An entry computed from the account's balance, under its lock."""
    with uow:
        uow.accounts.lock([account_id])
        found = Directory(
            accounts=uow.accounts.ledger_accounts([account_id]), category_kinds={}
        )
        account = _accounts(found, {"account": account_id})["account"]
        target = _parse(text, account.currency, field_name, signed=True)
        entry = build(
            account, uow.entries.raw_balance(account.id, account.currency), target
        )
        _save_and_announce(uow, entry, found.accounts)
    return entry.id


def record_opening_balance(
    *, uow: UnitOfWork, account: LedgerAccount, balance: Money, on: date
) -> UUID:
    with uow:
        entry = ledger.opening_balance(
            entry_id=uuid.uuid4(), account=account, balance=balance, on=on
        )
        _save_and_announce(uow, entry, {account.id: account})
    return entry.id


def _save_and_announce(
    uow: UnitOfWork, entry: ledger.JournalEntry, accounts: dict[UUID, LedgerAccount]
) -> None:
    balances = uow.entries.add_all([entry])
    announce(uow, [entry], balances=balances, accounts=accounts)


def _accounts(found: Directory, wanted: dict[str, UUID]) -> dict[str, LedgerAccount]:
    missing = [
        name for name, account_id in wanted.items() if account_id not in found.accounts
    ]
    if missing:
        message = gettext_noop("No such account.")
        raise NotFoundError(
            message,
            details=tuple(
                FieldProblem(field=name, code="not_found", message=message)
                for name in missing
            ),
        )
    return {name: found.accounts[account_id] for name, account_id in wanted.items()}


def _check_category(
    found: Directory, category_id: UUID | None, kind: CategoryKind
) -> None:
    if category_id is None:
        return
    actual = found.category_kinds.get(category_id)
    if actual is None:
        raise ValidationError.for_field(
            "category", gettext_noop("No such category."), code="not_found"
        )
    if actual is not kind:
        raise ValidationError.for_field(
            "category",
            gettext_noop(
                "Use an income category for money in and an expense category for "
                "money out."
            ),
            code="wrong_kind",
        )


def _named(text: EntryText) -> EntryText:
    """The payee as a name: one spelling (NFC), never only invisible characters."""
    return replace(text, payee=clean_optional_name(text.payee, field="payee"))


def _parse(
    text: str | None, currency: str, field_name: str, *, signed: bool = False
) -> Money:
    """Strict parsing (no silent rounding), with the problem named on the request field."""
    if text is None:
        message = gettext_noop("This field is required.")
        raise ValidationError(
            message,
            details=(FieldProblem(field=field_name, code="required", message=message),),
        )
    try:
        return Money.parse(text, currency, signed=signed)
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
