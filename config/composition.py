"""The composition root: where one module's port meets another module's adapter.

Modules never import each other; the ledger needs accounts (currency, kind, archived)
and accounts need the ledger (opening balances, balances). Both directions are wired
here, and only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from modules.accounts.domain.accounts import Account, AccountClass
from modules.accounts.infrastructure import selectors as account_selectors
from modules.accounts.infrastructure import stores as account_stores
from modules.shared.domain.money import Money
from modules.transactions.application import use_cases as ledger_use_cases
from modules.transactions.domain.ledger import LedgerAccount
from modules.transactions.infrastructure import statements as ledger_statements
from modules.transactions.infrastructure import stores as ledger_stores


def as_ledger_account(account: Account) -> LedgerAccount:
    return LedgerAccount(
        id=account.id,
        currency=account.currency,
        is_liability=account.account_class is AccountClass.LIABILITY,
        archived=account.archived,
    )


class AccountsForLedger:
    """The ledger's `AccountDirectory`, answered by the accounts module."""

    def ledger_accounts(self, account_ids: Iterable[UUID]) -> dict[UUID, LedgerAccount]:
        found = account_stores.accounts_by_id(account_ids)
        return {account_id: as_ledger_account(a) for account_id, a in found.items()}

    def lock(self, account_ids: Iterable[UUID]) -> None:
        account_stores.lock_accounts(account_ids)


class LedgerForAccounts:
    """The accounts module's `OpeningBalances` and `BalanceReader`, answered by the ledger."""

    def record(self, *, account: Account, balance: Money, on: date) -> None:
        ledger_use_cases.record_opening_balance(
            uow=ledger_uow(), account=as_ledger_account(account), balance=balance, on=on
        )

    def raw_balances(self, account_ids: Iterable[UUID]) -> dict[UUID, int]:
        return ledger_stores.raw_balances(account_ids)


def ledger_uow() -> ledger_stores.DjangoUnitOfWork:
    return ledger_stores.DjangoUnitOfWork(accounts=AccountsForLedger())


def accounts_uow() -> account_stores.DjangoUnitOfWork:
    return account_stores.DjangoUnitOfWork(opening_balances=LedgerForAccounts())


# Read models and use cases one module's pages show of the other's.
account_rows = account_selectors.account_rows
account_statement = ledger_statements.account_statement
adjust_balance = ledger_use_cases.adjust_balance
