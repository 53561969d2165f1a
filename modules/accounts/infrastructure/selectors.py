"""Read models of accounts for the API and the web: accounts with their balances."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from uuid import UUID

from django.db.models import QuerySet

from modules.accounts.domain.accounts import AccountClass, AccountKind
from modules.accounts.infrastructure.models import Account as AccountRow
from modules.accounts.infrastructure.stores import connected_ledger
from modules.shared.domain.balances import as_shown
from modules.shared.domain.money import Money


@dataclass(frozen=True, kw_only=True)
class AccountView:
    row: AccountRow
    balance: Money

    @property
    def account_class(self) -> AccountClass:
        return AccountKind(self.row.kind).account_class

    @property
    def is_liability(self) -> bool:
        return AccountKind(self.row.kind).is_liability


@dataclass(frozen=True, kw_only=True)
class CurrencyTotals:
    currency: str
    assets: Money
    liabilities: Money

    @property
    def net(self) -> Money:
        return self.assets - self.liabilities


def shown_balance(row: AccountRow, raw_minor: int) -> Money:
    """The ledger's signed sum as the person reads it (see `as_shown`)."""
    raw = Money.from_minor(raw_minor, row.currency)
    return as_shown(raw, liability=AccountKind(row.kind).is_liability)


def with_balances(rows: Iterable[AccountRow]) -> list[AccountView]:
    """Two queries whatever the number of accounts: the rows, then the ledger's."""
    rows = list(rows)
    raw = connected_ledger().raw_balances(row.id for row in rows)
    return with_known_balances(rows, raw)


def with_known_balances(
    rows: Iterable[AccountRow], raw: Mapping[UUID, int]
) -> list[AccountView]:
    return [
        AccountView(row=row, balance=shown_balance(row, raw.get(row.id, 0)))
        for row in rows
    ]


def account_rows(*, include_archived: bool = True) -> QuerySet[AccountRow]:
    rows = AccountRow.objects.all()
    return rows if include_archived else rows.filter(archived_at__isnull=True)


def totals_by_currency(accounts: Iterable[AccountView]) -> list[CurrencyTotals]:
    """Assets, liabilities and their difference per currency (never mixed)."""
    sums: dict[str, dict[AccountClass, Money]] = defaultdict(dict)
    for account in accounts:
        currency = account.balance.currency
        bucket = sums[currency]
        zero = Money.zero(currency)
        bucket[account.account_class] = (
            bucket.get(account.account_class, zero) + account.balance
        )
    return [
        CurrencyTotals(
            currency=currency,
            assets=bucket.get(AccountClass.ASSET, Money.zero(currency)),
            liabilities=bucket.get(AccountClass.LIABILITY, Money.zero(currency)),
        )
        for currency, bucket in sorted(sums.items())
    ]
