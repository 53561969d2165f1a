"""What the import use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol
from uuid import UUID

from modules.imports.domain.dedupe import Classified, Existing, RowAction
from modules.imports.domain.imports import ImportStatus, Stage
from modules.imports.domain.mapping import CsvMapping
from modules.imports.domain.rules import Outcome
from modules.imports.domain.statements import (
    Statement,
    StatementError,
    StatementFormat,
    StatementRow,
)
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction


@dataclass(frozen=True, kw_only=True)
class RowChoice:
    """The person's review of one row: what to do with it, and its category."""

    action: RowAction | None = None
    category_id: UUID | None = None


class StatementReader(Protocol):
    def detect(self, data: bytes) -> StatementFormat:
        """The format, by content; raises StatementError when it is none we read."""

    def read(self, data: bytes, *, mapping: CsvMapping | None = None) -> Statement:
        """Every row of the file, whatever its format; raises StatementError."""


@dataclass(frozen=True, kw_only=True)
class ImportJob:
    id: UUID
    account_id: UUID
    status: ImportStatus
    content: bytes
    mapping: CsvMapping | None
    source_account: str


@dataclass(frozen=True, kw_only=True)
class ShareToRecord:
    """A share of a split row: signed as the row's amount is."""

    amount: Decimal
    category_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class ToRecord:
    """A row the person kept: to record as new, or to link to `match` instead."""

    position: int
    on: date
    amount: Decimal
    key: str
    text: str
    payee: str
    description: str
    category_id: UUID | None
    transfer_to: UUID | None
    match: UUID | None
    splits: tuple[ShareToRecord, ...] = ()


class ImportStore(Protocol):
    def add(
        self,
        import_id: UUID,
        *,
        account_id: UUID,
        file_name: str,
        content: bytes,
        mapping: CsvMapping | None,
        profile_id: UUID | None,
        source_account: str,
        requested_by: UUID,
        status: ImportStatus,
    ) -> None: ...

    def set_mapping(
        self, import_id: UUID, mapping: CsvMapping, *, profile_id: UUID | None
    ) -> None: ...

    def get(self, import_id: UUID) -> ImportJob | None: ...

    def claim(self, import_id: UUID, *, was: ImportStatus, now: ImportStatus) -> bool:
        """Move the import on from `was`; False when someone else already did."""

    def set_status(
        self, import_id: UUID, status: ImportStatus, **fields: object
    ) -> None: ...

    def fail(self, import_id: UUID, error: StatementError) -> None:
        """The file cannot be imported: say why, keep no rows."""

    def refuse(self, import_id: UUID, error: StatementError) -> None:
        """Recording was refused: back to review, saying why."""

    def row_statuses(self, import_id: UUID) -> dict[int, str]: ...

    def apply_choices(
        self, import_id: UUID, choices: Mapping[int, RowChoice]
    ) -> None: ...

    def add_rows(
        self,
        import_id: UUID,
        *,
        currency: str,
        rows: Sequence[StatementRow],
        classified: Sequence[Classified],
        outcomes: Sequence[Outcome],
    ) -> None: ...

    def kept_rows(self, import_id: UUID) -> list[ToRecord]: ...

    def mark_recorded(self, import_id: UUID, entries: dict[int, UUID]) -> None: ...

    def recorded_entries(self, import_id: UUID) -> list[UUID]: ...


class Dedupe(Protocol):
    def known_keys(self, account_id: UUID, keys: Sequence[str]) -> set[str]: ...

    def imported(
        self, account_id: UUID, *, start: date, end: date
    ) -> dict[UUID, tuple[str, str]]:
        """The key and text of each transaction in these dates an import recorded
        or linked, by transaction id."""

    def remember(
        self, import_id: UUID, account_id: UUID, rows: Sequence[tuple[ToRecord, UUID]]
    ) -> None: ...

    def forget(self, import_id: UUID) -> None: ...


class Ledger(Protocol):
    def currency_of(self, account_id: UUID) -> str:
        """The account's currency; raises NotFoundError for an unknown account."""

    def movements(
        self, account_id: UUID, *, start: date, end: date
    ) -> list[Existing]: ...

    def record(self, account_id: UUID, rows: Sequence[ToRecord]) -> list[UUID]:
        """All or nothing, in the caller's transaction."""

    def reverse(self, entry_ids: Sequence[UUID]) -> None: ...


class Categoriser(Protocol):
    def outcomes(self, account_id: UUID, rows: Sequence[StatementRow]) -> list[Outcome]:
        """What the rules do to each row (nothing, when none matches)."""


class ImportJobs(Protocol):
    def parse(self, import_id: UUID) -> None:
        """Read and classify the file in the background once the transaction commits."""

    def record(self, import_id: UUID) -> None: ...


class Progress(Protocol):
    def announce(
        self, import_id: UUID, *, stage: Stage, progress: int, status: ImportStatus
    ) -> None: ...


class UnitOfWork(Transaction, Protocol):
    imports: ImportStore
    dedupe: Dedupe
    ledger: Ledger
    reader: StatementReader
    rules: Categoriser
    jobs: ImportJobs
    progress: Progress
    clock: Clock
