"""The reports' data, read through the public APIs of the modules below: the ledger's
monthly totals and categories, the accounts, their rates and the owner's settings."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from modules.accounts import api as accounts
from modules.identity import api as identity
from modules.reports.domain.reports import (
    AccountLine,
    AccountMonth,
    CategoryInfo,
    LineMonth,
    Rates,
)
from modules.transactions import api as ledger


class LedgerReadings:
    """One instance per request: the owner's settings are read once."""

    def __init__(self) -> None:
        self._settings: identity.OwnerSettings | None = None

    def _owner(self) -> identity.OwnerSettings:
        if self._settings is None:
            self._settings = identity.owner_settings()
        return self._settings

    def today(self) -> date:
        return accounts.owner_today(self._owner().time_zone)

    def base_currency(self) -> str:
        return self._owner().base_currency

    def accounts(self) -> list[AccountLine]:
        return [
            AccountLine(
                id=row.id,
                currency=row.currency,
                is_liability=accounts.AccountKind(row.kind).is_liability,
            )
            for row in accounts.account_rows().only("id", "currency", "kind")
        ]

    def account_months(self, *, until: date) -> list[AccountMonth]:
        return [
            AccountMonth(account_id=a, month=m, amount_minor=amount)
            for a, m, amount in ledger.account_month_totals(until=until)
        ]

    def line_months(self, *, since: date, until: date) -> list[LineMonth]:
        return [
            LineMonth(
                counterpart=row.counterpart,
                category_id=row.category_id,
                currency=row.currency,
                month=row.month,
                amount_minor=row.amount_minor,
            )
            for row in ledger.line_month_totals(since=since, until=until)
        ]

    def categories(self) -> dict[UUID, CategoryInfo]:
        found = ledger.categories()
        names = {category.id: category.name for category in found}
        return {
            category.id: CategoryInfo(
                id=category.id,
                name=category.name,
                is_expense=category.kind is ledger.CategoryKind.EXPENSE,
                group_id=category.parent_id or category.id,
                group_name=names.get(category.parent_id or category.id, ""),
            )
            for category in found
        }

    def rates(self, currencies: Iterable[str], *, since: date, until: date) -> Rates:
        wanted = {*currencies, self.base_currency()}
        if len(wanted) == 1:
            return accounts.RateBook(())
        return accounts.rate_book(wanted, since=since, until=until, month_ends=True)
