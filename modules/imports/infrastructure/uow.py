"""The imports module's unit of work, and the ledger and accounts as it sees them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from contracts.events.models import ImportProgress
from modules.accounts import api as accounts
from modules.imports.application.ports import ImportJobs, ToRecord
from modules.imports.domain.dedupe import Existing
from modules.imports.domain.imports import ImportStatus, Stage
from modules.imports.infrastructure.commands import ledger_command
from modules.imports.infrastructure.parsers.reader import FileStatementReader
from modules.imports.infrastructure.rules import RuleCategoriser
from modules.imports.infrastructure.stores import DjangoDedupe, DjangoImportStore
from modules.live.api import OutboxWriter
from modules.shared.application.clock import Clock
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.text import gettext_noop
from modules.shared.infrastructure.uow import AtomicUnitOfWork
from modules.transactions import api as ledger


class LedgerForImports:
    """Writes through the ledger's batch write in the caller's transaction, so an
    import is recorded whole or not at all."""

    def currency_of(self, account_id: UUID) -> str:
        found = accounts.accounts_by_id([account_id]).get(account_id)
        if found is None:
            raise NotFoundError(gettext_noop("No such account."))
        return found.currency

    def movements(self, account_id: UUID, *, start: date, end: date) -> list[Existing]:
        return [
            Existing(
                entry_id=m.transaction_id,
                on=m.on,
                amount=m.amount.amount,
                text=" ".join(f"{m.payee} {m.description}".casefold().split()),
            )
            for m in ledger.account_movements([account_id], start=start, end=end)
        ]

    def record(self, account_id: UUID, rows: Sequence[ToRecord]) -> list[UUID]:
        return ledger.record_batch(
            uow=ledger.unit_of_work(),
            commands=[_command(account_id, row) for row in rows],
        )

    def reverse(self, entry_ids: Sequence[UUID]) -> None:
        for entry_id in entry_ids:
            ledger.reverse_transaction(uow=ledger.unit_of_work(), entry_id=entry_id)


def _command(
    account_id: UUID, row: ToRecord
) -> ledger.RecordFlow | ledger.RecordTransfer | ledger.RecordSplitFlow:
    """A split row is one entry with a line per share, unless a rule made it a
    transfer (of the whole amount)."""
    text = ledger.EntryText(payee=row.payee, description=row.description)
    if row.splits and row.transfer_to is None:
        return ledger.RecordSplitFlow(
            account_id=account_id,
            shares=tuple(
                ledger.FlowSplit(amount=f"{s.amount:f}", category_id=s.category_id)
                for s in row.splits
            ),
            on=row.on,
            text=text,
        )
    return ledger_command(
        account_id=account_id,
        amount=row.amount,
        on=row.on,
        text=text,
        category_id=row.category_id,
        transfer_to=row.transfer_to,
    )


class ImportProgressAnnouncer:
    def __init__(self, clock: Clock) -> None:
        self.events = OutboxWriter(clock)

    def announce(
        self, import_id: UUID, *, stage: Stage, progress: int, status: ImportStatus
    ) -> None:
        self.events.append(
            ImportProgress(
                import_id=import_id,
                stage=stage.value,
                status=status.value,
                progress=progress,
            )
        )


class DjangoUnitOfWork(AtomicUnitOfWork):
    """Built with its job queue by `jobs.unit_of_work()`, which owns the tasks."""

    def __init__(self, jobs: ImportJobs) -> None:
        super().__init__()
        self.imports = DjangoImportStore()
        self.dedupe = DjangoDedupe()
        self.progress = ImportProgressAnnouncer(self.clock)
        self.ledger = LedgerForImports()
        self.reader = FileStatementReader()
        self.rules = RuleCategoriser()
        self.jobs = jobs
