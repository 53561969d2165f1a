"""What the privacy use cases need from the outside world."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol
from uuid import UUID

from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction


class ExportStore(Protocol):
    def unfinished(self) -> UUID | None:
        """The current tenant's export still being written, if any."""

    def add(self, export_id: UUID, *, requested_by: UUID, at: datetime) -> None: ...


class ExportJobs(Protocol):
    def start(self, export_id: UUID) -> None:
        """Write the export in the background once the transaction commits."""


class Audit(Protocol):
    def export_requested(self, *, actor_id: UUID) -> None: ...


class UnitOfWork(Transaction, Protocol):
    exports: ExportStore
    jobs: ExportJobs
    audit: Audit
    clock: Clock
