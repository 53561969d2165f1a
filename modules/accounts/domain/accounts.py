"""Financial accounts: what a person holds (assets) and what they owe (liabilities)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class AccountClass(StrEnum):
    ASSET = "asset"
    LIABILITY = "liability"


class AccountKind(StrEnum):
    CHECKING = "checking"
    SAVINGS = "savings"
    CASH = "cash"
    WALLET = "wallet"
    CREDIT_CARD = "credit_card"
    INVESTMENT = "investment"
    PROPERTY = "property"
    VEHICLE = "vehicle"
    LOAN = "loan"
    OTHER = "other"

    @property
    def account_class(self) -> AccountClass:
        """Whether money in this account is owned or owed; fixed by the kind."""
        if self in LIABILITY_KINDS:
            return AccountClass.LIABILITY
        return AccountClass.ASSET

    @property
    def is_liability(self) -> bool:
        return self.account_class is AccountClass.LIABILITY

    @property
    def has_market_value(self) -> bool:
        """Valued by the market (valuations), not only by money moved in and out."""
        return self in VALUED_KINDS


LIABILITY_KINDS = frozenset({AccountKind.CREDIT_CARD, AccountKind.LOAN})
VALUED_KINDS = frozenset(
    {AccountKind.PROPERTY, AccountKind.VEHICLE, AccountKind.INVESTMENT}
)


@dataclass(frozen=True, kw_only=True)
class Account:
    id: UUID
    tenant_id: UUID
    name: str
    kind: AccountKind
    currency: str
    institution: str = ""
    notes: str = ""
    archived_at: datetime | None = None

    @property
    def account_class(self) -> AccountClass:
        return self.kind.account_class

    @property
    def is_liability(self) -> bool:
        return self.kind.is_liability

    @property
    def archived(self) -> bool:
        return self.archived_at is not None
