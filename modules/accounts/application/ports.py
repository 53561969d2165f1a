"""What account use cases and pages need: a store of accounts, and the ledger."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from modules.accounts.domain.accounts import Account
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction
from modules.shared.domain.money import Money


class AccountStore(Protocol):
    def add(self, account: Account) -> None: ...

    def get(self, account_id: UUID) -> Account | None: ...

    def save(self, account: Account) -> None:
        """Write back what may change: name, institution, notes, archived_at."""


class Ledger(Protocol):
    """The ledger as accounts see it. The ledger sits above accounts in the module
    order, so it implements this port and plugs itself in when it starts
    (`modules.accounts.api.connect_ledger`): accounts never import it."""

    def record_opening_balance(
        self, *, account: Account, balance: Money, on: date
    ) -> None:
        """Record, in the current transaction, the entry an account starts with."""

    def raw_balances(self, account_ids: Iterable[UUID]) -> dict[UUID, int]:
        """Current balance of each account in minor units, with the ledger's sign."""

    def statement(
        self,
        account_id: UUID,
        *,
        before: str | None,
        after: str | None,
        page_size: int,
        currency: str,
        liability: bool,
    ) -> Any:
        """A page of the account's lines with their running balance, older than the
        cursor `before`, newer than `after`, or the newest."""

    def adjust_balance(self, *, account_id: UUID, balance: str, on: date) -> None:
        """Record the difference to the bank's figure as an adjustment."""

    def record_valuation(self, *, account_id: UUID, value: str, on: date) -> None:
        """Record an asset's new market value as a revaluation entry."""


class UnitOfWork(Transaction, Protocol):
    accounts: AccountStore
    ledger: Ledger
    clock: Clock
