"""The import use cases against in-memory ports: a fake reader, store and ledger."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

import pytest

from modules.imports.application.ports import ImportJob, RowChoice, ToRecord
from modules.imports.application.use_cases import (
    StartImport,
    confirm_import,
    map_import,
    parse_import,
    record_import,
    start_import,
    undo_import,
)
from modules.imports.domain.dedupe import (
    DEFAULT_ACTION,
    Classified,
    Existing,
    RowAction,
    normalised_text,
)
from modules.imports.domain.imports import ImportStatus, Stage
from modules.imports.domain.mapping import CsvMapping
from modules.imports.domain.rules import Outcome
from modules.imports.domain.statements import (
    Statement,
    StatementError,
    StatementFormat,
    StatementRow,
)
from modules.shared.domain.errors import ConflictError, NotFoundError, ValidationError
from tests.unit.fakes import FakeTransaction, FixedClock

ACCOUNT = uuid.uuid4()
USER = uuid.uuid4()


def row(day: int, amount: str, payee: str = "Cafe") -> StatementRow:
    return StatementRow(
        line=day + 1, on=date(2026, 11, day), amount=Decimal(amount), payee=payee
    )


class FakeReader:
    def __init__(self, statement: Statement | StatementError) -> None:
        self.statement = statement

    def detect(self, data: bytes) -> StatementFormat:
        return StatementFormat.CSV if data.startswith(b"Date") else StatementFormat.OFX

    def read(self, data: bytes, *, mapping: CsvMapping | None = None) -> Statement:
        if isinstance(self.statement, StatementError):
            raise self.statement
        return self.statement


class FakeImports:
    def __init__(self) -> None:
        self.jobs: dict[UUID, dict[str, Any]] = {}
        self.rows: dict[UUID, list[dict[str, Any]]] = {}

    def add(self, import_id: UUID, **fields: Any) -> None:
        self.jobs[import_id] = fields

    def set_mapping(
        self, import_id: UUID, mapping: CsvMapping, *, profile_id: UUID | None
    ) -> None:
        self.jobs[import_id]["mapping"] = mapping

    def get(self, import_id: UUID) -> ImportJob | None:
        job = self.jobs.get(import_id)
        if job is None:
            return None
        return ImportJob(
            id=import_id,
            account_id=job["account_id"],
            status=job["status"],
            content=job["content"],
            mapping=job["mapping"],
            source_account=job["source_account"],
        )

    def claim(self, import_id: UUID, *, was: ImportStatus, now: ImportStatus) -> bool:
        if self.jobs[import_id]["status"] is not was:
            return False
        self.jobs[import_id]["status"] = now
        return True

    def set_status(
        self, import_id: UUID, status: ImportStatus, **fields: object
    ) -> None:
        self.jobs[import_id].update(status=status, **fields)

    def fail(self, import_id: UUID, error: StatementError) -> None:
        self.set_status(import_id, ImportStatus.FAILED, error=error.describe())
        self.rows.pop(import_id, None)

    def refuse(self, import_id: UUID, error: StatementError) -> None:
        self.set_status(import_id, ImportStatus.READY, error=error.describe())

    def row_statuses(self, import_id: UUID) -> dict[int, str]:
        return {r["position"]: r["status"].value for r in self.rows.get(import_id, [])}

    def apply_choices(self, import_id: UUID, choices: Mapping[int, RowChoice]) -> None:
        for position, choice in choices.items():
            if choice.action is not None:
                self.rows[import_id][position]["action"] = choice.action

    def add_rows(
        self,
        import_id: UUID,
        *,
        currency: str,
        rows: Sequence[StatementRow],
        classified: Sequence[Classified],
        outcomes: Sequence[Outcome],
    ) -> None:
        self.rows[import_id] = [
            {
                "position": i,
                "row": r,
                "status": c.status,
                "key": c.key,
                "match": c.match,
                "action": DEFAULT_ACTION[c.status],
                "entry": None,
            }
            for i, (r, c) in enumerate(zip(rows, classified, strict=True))
        ]

    def kept_rows(self, import_id: UUID) -> list[ToRecord]:
        return [
            ToRecord(
                position=r["position"],
                on=r["row"].on,
                amount=r["row"].amount,
                key=r["key"],
                text=normalised_text(r["row"]),
                payee=r["row"].payee,
                description="",
                category_id=None,
                transfer_to=None,
                match=r["match"] if r["action"] is RowAction.LINK else None,
            )
            for r in self.rows[import_id]
            if r["action"] is not RowAction.SKIP
        ]

    def mark_recorded(self, import_id: UUID, entries: dict[int, UUID]) -> None:
        for r in self.rows[import_id]:
            r["entry"] = entries.get(r["position"])

    def recorded_entries(self, import_id: UUID) -> list[UUID]:
        return [r["entry"] for r in self.rows[import_id] if r["entry"]]


class FakeDedupe:
    def __init__(self) -> None:
        self.keys: dict[str, tuple[UUID, UUID, str]] = {}  # key -> import, entry, text

    def known_keys(self, account_id: UUID, keys: Sequence[str]) -> set[str]:
        return set(keys) & set(self.keys)

    def imported(
        self, account_id: UUID, *, start: date, end: date
    ) -> dict[UUID, tuple[str, str]]:
        return {entry: (key, text) for key, (_, entry, text) in self.keys.items()}

    def remember(
        self, import_id: UUID, account_id: UUID, rows: Sequence[tuple[ToRecord, UUID]]
    ) -> None:
        for record, entry in rows:
            self.keys[record.key] = (import_id, entry, record.text)

    def forget(self, import_id: UUID) -> None:
        self.keys = {k: v for k, v in self.keys.items() if v[0] != import_id}


class FakeLedger:
    def __init__(self, currency: str = "EUR") -> None:
        self.currency = currency
        self.entries: dict[UUID, ToRecord] = {}
        self.reversed: list[UUID] = []
        self.typed: list[Existing] = []

    def currency_of(self, account_id: UUID) -> str:
        if account_id != ACCOUNT:
            raise NotFoundError("No such account.")
        return self.currency

    def movements(self, account_id: UUID, *, start: date, end: date) -> list[Existing]:
        recorded = [
            Existing(entry_id=e, on=r.on, amount=r.amount)
            for e, r in self.entries.items()
            if e not in self.reversed
        ]
        return recorded + self.typed

    def record(self, account_id: UUID, rows: Sequence[ToRecord]) -> list[UUID]:
        ids = [uuid.uuid4() for _ in rows]
        self.entries.update(zip(ids, rows, strict=True))
        return ids

    def reverse(self, entry_ids: Sequence[UUID]) -> None:
        self.reversed += entry_ids


class Recorder:
    def __init__(self) -> None:
        self.parsed: list[UUID] = []
        self.recorded: list[UUID] = []
        self.progress: list[tuple[Stage, int, ImportStatus]] = []

    def parse(self, import_id: UUID) -> None:
        self.parsed.append(import_id)

    def record(self, import_id: UUID) -> None:
        self.recorded.append(import_id)

    def announce(
        self, import_id: UUID, *, stage: Stage, progress: int, status: ImportStatus
    ) -> None:
        self.progress.append((stage, progress, status))

    def outcomes(self, account_id: UUID, rows: Sequence[StatementRow]) -> list[Outcome]:
        return [Outcome()] * len(rows)


class FakeUnitOfWork(FakeTransaction):
    def __init__(self, statement: Statement | StatementError) -> None:
        super().__init__()
        self.clock = FixedClock()
        self.imports = FakeImports()
        self.dedupe = FakeDedupe()
        self.ledger = FakeLedger()
        self.reader = FakeReader(statement)
        self.jobs = self.progress = self.rules = Recorder()


def statement(*rows: StatementRow, currency: str = "") -> Statement:
    return Statement(format=StatementFormat.OFX, rows=list(rows), currency=currency)


def imported(uow: FakeUnitOfWork, content: bytes = b"OFXHEADER") -> UUID:
    import_id = start_import(
        uow=uow,
        command=StartImport(
            account_id=ACCOUNT, file_name="s", content=content, requested_by=USER
        ),
    )
    parse_import(uow=uow, import_id=import_id)
    return import_id


def test_parse_confirm_record_reimport_and_undo() -> None:
    uow = FakeUnitOfWork(statement(row(2, "-4.50"), row(2, "-4.50"), row(3, "10")))
    first = imported(uow)
    assert uow.imports.jobs[first]["status"] is ImportStatus.READY
    confirm_import(
        uow=uow, import_id=first, choices={2: RowChoice(action=RowAction.SKIP)}
    )
    assert uow.jobs.recorded == [first]
    assert record_import(uow=uow, import_id=first) is ImportStatus.RECORDED
    assert len(uow.ledger.entries) == 2
    assert uow.jobs.progress[-1] == (Stage.RECORDING, 100, ImportStatus.RECORDED)

    again = imported(uow)
    statuses = [r["status"].value for r in uow.imports.rows[again]]
    assert statuses == ["duplicate", "duplicate", "new"]

    undo_import(uow=uow, import_id=first)
    assert sorted(uow.ledger.reversed) == sorted(uow.ledger.entries)
    with pytest.raises(ConflictError):
        undo_import(uow=uow, import_id=first)


def test_a_csv_waits_for_its_mapping() -> None:
    uow = FakeUnitOfWork(statement(row(2, "-1")))
    import_id = start_import(
        uow=uow,
        command=StartImport(
            account_id=ACCOUNT,
            file_name="s.csv",
            content=b"Date,Amount",
            requested_by=USER,
        ),
    )
    assert (
        uow.imports.jobs[import_id]["status"] is ImportStatus.MAPPING
        and not uow.jobs.parsed
    )
    map_import(
        uow=uow, import_id=import_id, mapping=CsvMapping(date="Date", amount="Amount")
    )
    assert uow.jobs.parsed == [import_id]
    with pytest.raises(ConflictError):
        map_import(
            uow=uow,
            import_id=import_id,
            mapping=CsvMapping(date="Date", amount="Amount"),
        )


def test_refusals() -> None:
    uow = FakeUnitOfWork(statement(row(2, "-1"), currency="USD"))
    with pytest.raises(ValidationError):
        start_import(
            uow=uow,
            command=StartImport(
                account_id=ACCOUNT, file_name="", content=b"", requested_by=USER
            ),
        )
    with pytest.raises(NotFoundError):
        start_import(
            uow=uow,
            command=StartImport(
                account_id=uuid.uuid4(), file_name="", content=b"x", requested_by=USER
            ),
        )
    failed = imported(uow)
    assert (
        uow.imports.jobs[failed]["error"]
        == "The statement is in USD but the account is in EUR."
    )
    with pytest.raises(ConflictError):
        confirm_import(uow=uow, import_id=failed, choices={})
    with pytest.raises(NotFoundError):
        confirm_import(uow=uow, import_id=uuid.uuid4(), choices={})


def test_an_unreadable_file_or_only_zero_amounts_fail() -> None:
    uow = FakeUnitOfWork(
        StatementError("“%(value)s” is not an amount.", line=7, value="x")
    )
    assert uow.imports.jobs[imported(uow)]["error"] == "Line 7: “x” is not an amount."
    zeros = FakeUnitOfWork(statement(row(2, "0")))
    assert (
        zeros.imports.jobs[imported(zeros)]["error"]
        == "The file holds no transactions to import."
    )


def test_several_accounts_need_a_choice() -> None:
    rows = [replace(row(2, "-1"), account="A"), replace(row(3, "-2"), account="B")]
    uow = FakeUnitOfWork(statement(*rows))
    assert "several accounts (A, B)" in uow.imports.jobs[imported(uow)]["error"]


def test_a_duplicate_cannot_be_recorded_and_a_match_is_linked() -> None:
    uow = FakeUnitOfWork(statement(row(2, "-4.50"), row(5, "-9")))
    typed = Existing(entry_id=uuid.uuid4(), on=date(2026, 11, 4), amount=Decimal("-9"))
    uow.ledger.typed.append(typed)
    first = imported(uow)
    assert uow.imports.rows[first][1]["match"] == typed.entry_id
    confirm_import(uow=uow, import_id=first, choices={})
    record_import(uow=uow, import_id=first)
    assert len(uow.ledger.entries) == 1 and typed.entry_id in {
        v[1] for v in uow.dedupe.keys.values()
    }
    again = imported(uow)
    with pytest.raises(ValidationError):
        confirm_import(
            uow=uow, import_id=again, choices={0: RowChoice(action=RowAction.RECORD)}
        )
    with pytest.raises(ValidationError):
        confirm_import(
            uow=uow, import_id=again, choices={9: RowChoice(action=RowAction.SKIP)}
        )
