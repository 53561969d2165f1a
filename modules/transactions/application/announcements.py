"""What the ledger tells the rest of the product after it records transactions:
all of a write's events go out in one append."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from contracts.events.models import (
    BalanceUpdated,
    EventData,
    PostingData,
    TransactionCreated,
    TransactionsRecorded,
)
from modules.shared.domain.balances import as_shown
from modules.shared.domain.money import Money
from modules.transactions.application.ports import UnitOfWork
from modules.transactions.domain.ledger import JournalEntry, LedgerAccount


def announce(
    uow: UnitOfWork,
    entries: Sequence[JournalEntry],
    *,
    balances: Mapping[UUID, int],
    accounts: Mapping[UUID, LedgerAccount],
    as_batch: bool = False,
) -> None:
    """`transaction.created` per entry (or one `transactions.recorded` for a batch),
    then one `balance.updated` per account touched, from the balances the write
    returned (they already count every write committed before this one)."""
    events: list[EventData] = (
        [TransactionsRecorded(transaction_ids=[entry.id for entry in entries])]
        if as_batch
        else [_created(entry) for entry in entries]
    )
    touched = sorted({a for entry in entries for a in entry.account_ids})
    events += [
        _balance(entries, accounts[account_id], balances[account_id])
        for account_id in touched
    ]
    uow.events.append_all(events)


def _created(entry: JournalEntry) -> TransactionCreated:
    return TransactionCreated(
        transaction_id=entry.id,
        kind=entry.kind.value,
        occurred_on=entry.occurred_on,
        payee=entry.text.payee,
        description=entry.text.description,
        reverses=entry.reverses,
        postings=[
            PostingData(
                account_id=posting.account_id,
                counterpart=posting.counterpart.value if posting.counterpart else None,
                category_id=posting.category_id,
                amount=posting.amount.to_string(),
                currency=posting.amount.currency,
            )
            for posting in entry.postings
        ],
    )


def _balance(
    entries: Sequence[JournalEntry], account: LedgerAccount, raw_minor: int
) -> BalanceUpdated:
    balance = Money.from_minor(raw_minor, account.currency)
    mine = [entry for entry in entries if account.id in entry.account_ids]
    change = sum(
        (p.amount for e in mine for p in e.postings if p.account_id == account.id),
        Money.zero(account.currency),
    )
    liability = account.is_liability
    return BalanceUpdated(
        account_id=account.id,
        account_name=account.name,
        transaction_id=mine[-1].id,
        balance=as_shown(balance, liability=liability).to_string(),
        previous_balance=as_shown(balance - change, liability=liability).to_string(),
        currency=account.currency,
        account_class="liability" if liability else "asset",
    )
