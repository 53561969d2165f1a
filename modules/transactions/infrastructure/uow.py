"""The ledger's unit of work, and the ledger as the accounts module sees it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Expression, Subquery

from modules.accounts import api as accounts
from modules.live.api import OutboxWriter
from modules.shared.domain.money import Money
from modules.shared.infrastructure.uow import AtomicUnitOfWork
from modules.transactions.application import use_cases
from modules.transactions.application.ports import Directory
from modules.transactions.domain.categories import CategoryKind
from modules.transactions.domain.ledger import LedgerAccount
from modules.transactions.infrastructure import statements
from modules.transactions.infrastructure.entry_rules import rules_exist
from modules.transactions.infrastructure.models import Category
from modules.transactions.infrastructure.stores import (
    DjangoCategoryStore,
    DjangoEntryStore,
    raw_balances,
)


def as_ledger_account(account: accounts.Account) -> LedgerAccount:
    return LedgerAccount(
        id=account.id,
        currency=account.currency,
        is_liability=account.is_liability,
        archived=account.archived,
        name=account.name,
        valued=account.kind.has_market_value,
    )


class AccountsForLedger:
    """The ledger's `AccountDirectory`, answered by the accounts module's API."""

    def ledger_accounts(self, account_ids: Iterable[UUID]) -> dict[UUID, LedgerAccount]:
        found = accounts.accounts_by_id(account_ids)
        return {account_id: as_ledger_account(a) for account_id, a in found.items()}

    def look_up(
        self, account_ids: Iterable[UUID], category_ids: Iterable[UUID], *, rules: bool
    ) -> Directory:
        """One query: the account rows carry each category's kind (and whether the
        tenant has entry rules) as uncorrelated subqueries."""
        names = {f"kind_{category_id.hex}": category_id for category_id in category_ids}
        values: dict[str, Expression] = {
            name: Subquery(
                Category.objects.filter(
                    id=category_id, archived_at__isnull=True
                ).values("kind")[:1]
            )
            for name, category_id in names.items()
        }
        if rules and (exist := rules_exist()) is not None:
            values["has_rules"] = exist
        found, carried = accounts.accounts_with_values(account_ids, values)
        return Directory(
            accounts={i: as_ledger_account(a) for i, a in found.items()},
            category_kinds={
                category_id: CategoryKind(carried[name])
                for name, category_id in names.items()
                if carried.get(name) is not None
            },
            has_rules=bool(carried.get("has_rules")),
        )

    def lock(self, account_ids: Iterable[UUID]) -> None:
        accounts.lock_accounts(account_ids)


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.accounts = AccountsForLedger()
        self.entries = DjangoEntryStore(self.clock)
        self.categories = DjangoCategoryStore()
        self.events = OutboxWriter(self.clock)


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()


class LedgerForAccounts:
    """The accounts module's `Ledger` port; plugged in when the app starts."""

    def record_opening_balance(
        self, *, account: accounts.Account, balance: Money, on: date
    ) -> None:
        use_cases.record_opening_balance(
            uow=unit_of_work(),
            account=as_ledger_account(account),
            balance=balance,
            on=on,
        )

    def raw_balances(self, account_ids: Iterable[UUID]) -> dict[UUID, int]:
        return raw_balances(account_ids)

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
        return statements.account_statement(
            account_id,
            before=before,
            after=after,
            page_size=page_size,
            currency=currency,
            liability=liability,
        )

    def adjust_balance(self, *, account_id: UUID, balance: str, on: date) -> None:
        use_cases.adjust_balance(
            uow=unit_of_work(), account_id=account_id, balance=balance, on=on
        )

    def record_valuation(self, *, account_id: UUID, value: str, on: date) -> None:
        use_cases.record_valuation(
            uow=unit_of_work(), account_id=account_id, value=value, on=on
        )
