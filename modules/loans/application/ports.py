"""What the loan use cases need: their store, the accounts and the ledger below."""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import UUID

from modules.loans.domain.loans import Loan, RecordedPayment
from modules.loans.domain.schedule import ExtraPayment, RateChange
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction
from modules.shared.domain.money import Money


class LoanStore(Protocol):
    def add(self, loan: Loan) -> None: ...

    def get(self, loan_id: UUID) -> Loan | None:
        """The loan with its events and payments, locked until commit."""

    def save(self, loan: Loan) -> None:
        """Write back what may change: name, paid_from_id, recurring_payments,
        archived_at."""

    def add_payment(self, loan_id: UUID, payment: RecordedPayment) -> None: ...

    def add_extra(self, loan_id: UUID, extra: ExtraPayment, entry_id: UUID) -> None: ...

    def add_rate_change(self, loan_id: UUID, change: RateChange) -> None: ...


class Accounts(Protocol):
    """The person's accounts (the accounts module's API; a fake in unit tests)."""

    def open_liability(self, *, name: str, owed: Money, on: date) -> UUID:
        """Open a loan account that starts owing `owed` on `on`."""

    def currency_of(self, account_id: UUID) -> str | None:
        """The currency of one of the person's active accounts, None if there is none."""

    def archive(self, account_id: UUID) -> None: ...


class Ledger(Protocol):
    """The ledger (the transactions module's API; a fake in unit tests)."""

    def expense_category(self, name: str) -> UUID:
        """The person's expense category of this name, created when missing."""

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
        """One entry: principal to the loan account, interest as an expense."""


class UnitOfWork(Transaction, Protocol):
    loans: LoanStore
    accounts: Accounts
    ledger: Ledger
    clock: Clock

    def owner_today(self) -> date:
        """Today where the tenant's owner lives: the last date a payment is due."""
