"""What account use cases need: a store of accounts and two services of the ledger."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from modules.accounts.domain.accounts import Account
from modules.shared.domain.money import Money


class AccountStore(Protocol):
    def add(self, account: Account, *, institution: str, notes: str) -> None: ...

    def get(self, account_id: UUID) -> Account | None: ...

    def update(self, account_id: UUID, changes: Mapping[str, object]) -> None: ...


class OpeningBalances(Protocol):
    """Implemented by the ledger: records the entry an account starts with."""

    def record(self, *, account: Account, balance: Money, on: date) -> None: ...


class BalanceReader(Protocol):
    """Implemented by the ledger: current balance of each account, raw ledger sign."""

    def raw_balances(self, account_ids: Iterable[UUID]) -> dict[UUID, int]: ...


class Clock(Protocol):
    def now(self) -> datetime: ...


class UnitOfWork(Protocol):
    accounts: AccountStore
    opening_balances: OpeningBalances
    clock: Clock

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *args: object) -> None: ...
