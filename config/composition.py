"""The composition root: where one module's port meets another module's adapter.

Modules never import each other; the ledger needs accounts (currency, kind, archived)
and accounts need the ledger (opening balances, balances). Both directions are wired
here, and only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import cached_property
from uuid import UUID

from modules.accounts.domain.accounts import Account, AccountClass
from modules.accounts.infrastructure import selectors as account_selectors
from modules.accounts.infrastructure import stores as account_stores
from modules.identity.infrastructure.models import Profile
from modules.notifications.infrastructure import stores as notification_stores
from modules.shared.domain.money import Money
from modules.shared.domain.notifications import NotificationKind
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
        name=account.name,
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


class PeopleForNotifications:
    """The notifications module's `Recipients`, answered by identity's profiles."""

    @cached_property
    def _owner(self) -> Profile | None:
        return Profile.objects.order_by("user__date_joined").first()

    def wants_email(self, kind: NotificationKind) -> bool:
        profile = self._owner
        return bool(
            profile
            and profile.notify_by_email
            and kind.value in profile.email_notifications
        )

    def locale(self) -> str:
        profile = self._owner
        return profile.locale if profile else "en"


def email_recipients() -> list[tuple[str, str]]:
    """Address and language of the current tenant's active, verified people."""
    return [
        (profile.user.email, profile.locale)
        for profile in Profile.objects.select_related("user").filter(
            user__is_active=True, user__email_verified_at__isnull=False
        )
    ]


def notifications_uow() -> notification_stores.DjangoUnitOfWork:
    return notification_stores.DjangoUnitOfWork(recipients=PeopleForNotifications())


# Read models and use cases one module's pages show of the other's.
account_rows = account_selectors.account_rows
account_statement = ledger_statements.account_statement
adjust_balance = ledger_use_cases.adjust_balance
