"""The budgets unit of work: one database transaction around a use case."""

from __future__ import annotations

from modules.budgets.infrastructure.stores import DjangoBudgetStore, LedgerForBudgets
from modules.identity import api as identity
from modules.live.api import OutboxWriter
from modules.shared.infrastructure.uow import AtomicUnitOfWork


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.budgets = DjangoBudgetStore()
        self.ledger = LedgerForBudgets()
        self.events = OutboxWriter(self.clock)
        self._owner: identity.OwnerSettings | None = None

    def owner(self) -> identity.OwnerSettings:
        if self._owner is None:
            self._owner = identity.owner_settings()
        return self._owner


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
