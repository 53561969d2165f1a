"""What the ledger tells the rest of the product after a transaction is recorded."""

from __future__ import annotations

from contracts.events.models import BalanceUpdated, PostingData, TransactionCreated
from modules.shared.domain.balances import as_shown
from modules.shared.domain.money import Money
from modules.transactions.application.ports import UnitOfWork
from modules.transactions.domain.ledger import JournalEntry, LedgerAccount


def announce(uow: UnitOfWork, entry: JournalEntry) -> None:
    """`transaction.created`, then `balance.updated` for each of the person's accounts.

    Appending the first event takes the tenant's stream lock, so the balances read
    after it already include every transaction numbered before this one.
    """
    uow.events.append(_created(entry))
    accounts = uow.accounts.ledger_accounts(entry.account_ids)
    for account_id in sorted(entry.account_ids):
        uow.events.append(_balance(uow, entry, accounts[account_id]))


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
    uow: UnitOfWork, entry: JournalEntry, account: LedgerAccount
) -> BalanceUpdated:
    balance = uow.entries.raw_balance(account.id, account.currency)
    change = sum(
        (p.amount for p in entry.postings if p.account_id == account.id),
        Money.zero(account.currency),
    )
    liability = account.is_liability
    return BalanceUpdated(
        account_id=account.id,
        account_name=account.name,
        transaction_id=entry.id,
        balance=as_shown(balance, liability=liability).to_string(),
        previous_balance=as_shown(balance - change, liability=liability).to_string(),
        currency=account.currency,
        account_class="liability" if liability else "asset",
    )
