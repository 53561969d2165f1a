"""What the ledger's use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from uuid import UUID

from modules.live.application.events import EventOutbox
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction
from modules.shared.domain.money import Money
from modules.transactions.domain.categories import Category, CategoryKind
from modules.transactions.domain.ledger import JournalEntry, LedgerAccount


@dataclass(frozen=True)
class Directory:
    """What a write needs to know, read once for all its commands: the accounts,
    the kinds of the categories named, and whether the tenant has entry rules."""

    accounts: dict[UUID, LedgerAccount]
    category_kinds: dict[UUID, CategoryKind]
    has_rules: bool = False


class AccountDirectory(Protocol):
    """The current tenant's accounts, as the ledger sees them (answered by the
    accounts module's API; a fake in the unit tests)."""

    def ledger_accounts(
        self, account_ids: Iterable[UUID]
    ) -> dict[UUID, LedgerAccount]: ...

    def look_up(
        self,
        account_ids: Iterable[UUID],
        category_ids: Iterable[UUID],
        *,
        rules: bool,
    ) -> Directory:
        """These accounts and categories (and, with `rules`, whether the tenant has
        entry rules) in one read."""

    def lock(self, account_ids: Iterable[UUID]) -> None:
        """Serialise writes that read a balance (adjustments) per account."""


class EntryStore(Protocol):
    def add_all(self, entries: list[JournalEntry]) -> dict[UUID, int]:
        """Save the entries and their postings, and add them to the monthly totals;
        returns the new balance (minor units, ledger sign) of every account touched."""

    def get(self, entry_id: UUID) -> JournalEntry | None: ...

    def is_reversed(self, entry_id: UUID) -> bool: ...

    def raw_balance(self, account_id: UUID, currency: str) -> Money: ...


class CategoryStore(Protocol):
    def kinds_of(self, category_ids: Iterable[UUID]) -> dict[UUID, CategoryKind]:
        """The kind of each active category of the current tenant among these."""

    def add(self, category: Category) -> None: ...

    def get(self, category_id: UUID) -> Category | None: ...

    def save(self, category: Category) -> None:
        """Write back what may change: name, group, archived_at."""

    def has_children(self, category_id: UUID) -> bool: ...

    def name_taken(
        self,
        *,
        kind: CategoryKind,
        parent_id: UUID | None,
        name: str,
        exclude: UUID | None,
    ) -> bool:
        """Whether the group (or the top level) already holds this name, ignoring
        case, apart from the category `exclude`."""


class UnitOfWork(Transaction, Protocol):
    accounts: AccountDirectory
    entries: EntryStore
    categories: CategoryStore
    events: EventOutbox
    clock: Clock
