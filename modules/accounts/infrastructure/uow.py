"""The accounts unit of work: one database transaction around a use case."""

from __future__ import annotations

from modules.accounts.infrastructure.stores import DjangoAccountStore, connected_ledger
from modules.shared.infrastructure.uow import AtomicUnitOfWork


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.accounts = DjangoAccountStore()
        self.ledger = connected_ledger()


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
