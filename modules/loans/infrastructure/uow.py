"""The loans unit of work, with the accounts and the ledger reached through their
public APIs."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from modules.accounts import api as accounts
from modules.loans.infrastructure.stores import DjangoLoanStore
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.money import Money
from modules.shared.infrastructure.uow import AtomicUnitOfWork
from modules.transactions import api as ledger


class AccountsForLoans:
    def open_liability(self, *, name: str, owed: Money, on: date) -> UUID:
        account = accounts.open_account(
            uow=accounts.unit_of_work(),
            command=accounts.OpenAccount(
                tenant_id=current_tenant_id(),
                name=name,
                kind=accounts.AccountKind.LOAN,
                currency=owed.currency,
                opened_on=on,
                opening_balance=owed.to_string(),
            ),
        )
        return account.id

    def currency_of(self, account_id: UUID) -> str | None:
        found = accounts.accounts_by_id([account_id]).get(account_id)
        return found.currency if found and not found.archived else None

    def archive(self, account_id: UUID) -> None:
        accounts.archive_account(account_id)


class LedgerForLoans:
    def expense_category(self, name: str) -> UUID:
        return ledger.expense_category(name)

    def pay(
        self,
        *,
        from_account_id: UUID,
        loan_account_id: UUID,
        principal: Money,
        interest: Money,
        interest_category_id: UUID,
        on: date,
        description: str,
    ) -> UUID:
        shares = [
            ledger.SplitShare(amount=amount.to_string(), **target)
            for amount, target in (
                (principal, {"account_id": loan_account_id}),
                (interest, {"category_id": interest_category_id}),
            )
            if amount.is_positive()
        ]
        return ledger.record_split_payment(
            uow=ledger.unit_of_work(),
            command=ledger.RecordSplitPayment(
                from_account_id=from_account_id,
                shares=tuple(shares),
                on=on,
                text=ledger.EntryText(description=description),
            ),
        )


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.loans = DjangoLoanStore()
        self.accounts = AccountsForLoans()
        self.ledger = LedgerForLoans()

    def owner_today(self) -> date:
        return accounts.owner_today()


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
