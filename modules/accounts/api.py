"""What other modules may use of accounts. Everything else in `modules.accounts` is
private to it; the ledger, above it, also plugs itself in here."""

from __future__ import annotations

from uuid import UUID

from modules.accounts.application.ports import Ledger
from modules.accounts.application.use_cases import (
    OpenAccount,
    UpdateAccount,
    open_account,
    update_account,
)
from modules.accounts.domain.accounts import Account, AccountClass, AccountKind
from modules.accounts.domain.rates import Quote, RateBook
from modules.accounts.infrastructure.export import export_sections
from modules.accounts.infrastructure.rates import owner_today, rate_book
from modules.accounts.infrastructure.selectors import (
    AccountView,
    CurrencyTotals,
    account_rows,
    totals_by_currency,
    with_balances,
)
from modules.accounts.infrastructure.stores import (
    accounts_by_id,
    accounts_with_values,
    connect_ledger,
    lock_accounts,
)
from modules.accounts.infrastructure.uow import unit_of_work


def archive_account(account_id: UUID) -> None:
    """Archive one of the current tenant's accounts (kept, with its history)."""
    update_account(
        uow=unit_of_work(),
        command=UpdateAccount(account_id=account_id, archived=True),
    )


def active_accounts_summary() -> tuple[list[AccountView], list[CurrencyTotals]]:
    """Active accounts with balances, and their totals per currency."""
    views = with_balances(account_rows(include_archived=False))
    return views, totals_by_currency(views)


__all__ = [
    "Account",
    "AccountClass",
    "AccountKind",
    "AccountView",
    "CurrencyTotals",
    "Ledger",
    "OpenAccount",
    "Quote",
    "RateBook",
    "account_rows",
    "accounts_by_id",
    "accounts_with_values",
    "active_accounts_summary",
    "archive_account",
    "connect_ledger",
    "export_sections",
    "lock_accounts",
    "open_account",
    "owner_today",
    "rate_book",
    "unit_of_work",
]
