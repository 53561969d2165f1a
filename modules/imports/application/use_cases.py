"""Importing a statement: upload, read and classify in the background, review,
record all or nothing, undo by reversal (ADR 0017)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from uuid import UUID

from modules.imports.application.ports import ImportJob, RowChoice, UnitOfWork
from modules.imports.domain.dedupe import (
    ALLOWED_ACTIONS,
    MATCH_WINDOW,
    RowStatus,
    classify,
    row_keys,
)
from modules.imports.domain.imports import ImportStatus, Stage, percent
from modules.imports.domain.mapping import CsvMapping
from modules.imports.domain.statements import (
    SkippedRow,
    Statement,
    StatementError,
    StatementFormat,
)
from modules.shared.domain.errors import (
    ConflictError,
    DomainError,
    NotFoundError,
    ValidationError,
)
from modules.shared.domain.text import gettext_noop

MAX_FILE_BYTES = 20 * 1024 * 1024
BATCH = 500  # the ledger's batch write takes at most this many
ZERO_AMOUNT = gettext_noop("The amount is zero (%(value)s): nothing to record.")


@dataclass(frozen=True, kw_only=True)
class StartImport:
    account_id: UUID
    file_name: str
    content: bytes
    requested_by: UUID
    mapping: CsvMapping | None = None
    profile_id: UUID | None = None
    source_account: str = ""


def start_import(*, uow: UnitOfWork, command: StartImport) -> UUID:
    """Keep the file and read it in the background; a CSV without a mapping waits
    for one (`map_import`)."""
    if not command.content:
        raise ValidationError.for_field("file", gettext_noop("The file is empty."))
    if len(command.content) > MAX_FILE_BYTES:
        raise ValidationError.for_field(
            "file", gettext_noop("The file is larger than 20 MB."), code="too_large"
        )
    import_id = uuid.uuid4()
    waits = (
        command.mapping is None
        and uow.reader.detect(command.content) is StatementFormat.CSV
    )
    with uow:
        uow.ledger.currency_of(command.account_id)
        uow.imports.add(
            import_id,
            account_id=command.account_id,
            file_name=command.file_name,
            content=command.content,
            mapping=command.mapping,
            profile_id=command.profile_id,
            source_account=command.source_account,
            requested_by=command.requested_by,
            status=ImportStatus.MAPPING if waits else ImportStatus.PENDING,
        )
        if not waits:
            uow.jobs.parse(import_id)
    return import_id


def map_import(
    *,
    uow: UnitOfWork,
    import_id: UUID,
    mapping: CsvMapping,
    profile_id: UUID | None = None,
) -> None:
    """Give a waiting CSV its column mapping, and read it."""
    with uow:
        _job(uow, import_id)
        if not uow.imports.claim(
            import_id, was=ImportStatus.MAPPING, now=ImportStatus.PENDING
        ):
            raise ConflictError(
                gettext_noop("This import is not waiting for a column mapping."),
                code="IMPORT_NOT_MAPPING",
            )
        uow.imports.set_mapping(import_id, mapping, profile_id=profile_id)
        uow.jobs.parse(import_id)


def parse_import(*, uow: UnitOfWork, import_id: UUID) -> ImportStatus:
    """Read the file and classify each row; once: a second delivery finds it taken."""
    with uow:
        if not uow.imports.claim(
            import_id, was=ImportStatus.PENDING, now=ImportStatus.PARSING
        ):
            return ImportStatus.PARSING
        _announce(uow, import_id, Stage.PARSING, 0, ImportStatus.PARSING)
    job = _job(uow, import_id)
    try:
        with uow:
            _read_and_classify(uow, job)
            _announce(uow, import_id, Stage.PARSING, 100, ImportStatus.READY)
    except DomainError as error:
        with uow:
            uow.imports.fail(import_id, as_statement_error(error))
            _announce(uow, import_id, Stage.PARSING, 100, ImportStatus.FAILED)
        return ImportStatus.FAILED
    return ImportStatus.READY


def as_statement_error(error: DomainError) -> StatementError:
    if isinstance(error, StatementError):
        return error
    return StatementError(error.message)


def _read_and_classify(uow: UnitOfWork, job: ImportJob) -> None:
    statement = _one_account(uow.reader.read(job.content, mapping=job.mapping), job)
    currency = uow.ledger.currency_of(job.account_id)
    if statement.currency and statement.currency != currency:
        raise StatementError(
            gettext_noop(
                "The statement is in %(file)s but the account is in %(account)s."
            ),
            file=statement.currency,
            account=currency,
        )
    skipped = list(statement.skipped)
    rows = []
    for row in statement.rows:
        if row.amount:
            rows.append(row)
        else:
            skipped.append(
                SkippedRow(line=row.line, reason=ZERO_AMOUNT, value=f"{row.amount}")
            )
    if not rows:
        raise StatementError(gettext_noop("The file holds no transactions to import."))
    keys = row_keys(job.account_id, rows)
    start = min(row.on for row in rows) - MATCH_WINDOW
    end = max(row.on for row in rows) + MATCH_WINDOW
    imported = uow.dedupe.imported(job.account_id, start=start, end=end)
    existing = [
        replace(e, imported_key=imported[e.entry_id][0], text=imported[e.entry_id][1])
        if e.entry_id in imported
        else e
        for e in uow.ledger.movements(job.account_id, start=start, end=end)
    ]
    classified = classify(
        rows,
        keys,
        known=uow.dedupe.known_keys(job.account_id, keys),
        existing=existing,
    )
    uow.imports.add_rows(
        job.id,
        currency=currency,
        rows=rows,
        classified=classified,
        outcomes=uow.rules.outcomes(job.account_id, rows),
    )
    uow.imports.set_status(
        job.id,
        ImportStatus.READY,
        progress=100,
        format=statement.format.value,
        skipped=[
            {"line": s.line, "reason": s.reason, "value": s.value} for s in skipped
        ],
    )


def _one_account(statement: Statement, job: ImportJob) -> Statement:
    accounts = statement.accounts
    if job.source_account:
        if job.source_account not in accounts:
            raise StatementError(
                gettext_noop("The file holds no account “%(account)s”."),
                account=job.source_account,
            )
        return statement.for_account(job.source_account)
    if len(accounts) > 1:
        raise StatementError(
            gettext_noop(
                "The file holds several accounts (%(accounts)s): choose the one to import."
            ),
            accounts=", ".join(accounts),
        )
    return statement


def confirm_import(
    *, uow: UnitOfWork, import_id: UUID, choices: Mapping[int, RowChoice]
) -> None:
    """Apply the person's review and record in the background."""
    with uow:
        job = _job(uow, import_id)
        checked = _checked(uow, job.id, choices)
        if not uow.imports.claim(
            import_id, was=ImportStatus.READY, now=ImportStatus.RECORDING
        ):
            raise ConflictError(
                gettext_noop("This import is not waiting for a confirmation."),
                code="IMPORT_NOT_READY",
            )
        uow.imports.apply_choices(job.id, checked)
        uow.jobs.record(import_id)


def _checked(
    uow: UnitOfWork, import_id: UUID, choices: Mapping[int, RowChoice]
) -> Mapping[int, RowChoice]:
    statuses = uow.imports.row_statuses(import_id)
    for position, choice in choices.items():
        status = statuses.get(position)
        if status is None:
            raise ValidationError.for_field(
                f"rows[{position}]", gettext_noop("The import has no such row.")
            )
        if (
            choice.action is not None
            and choice.action not in ALLOWED_ACTIONS[RowStatus(status)]
        ):
            raise ValidationError.for_field(
                f"rows[{position}].action",
                gettext_noop("This row cannot be handled that way."),
            )
    return choices


def record_import(*, uow: UnitOfWork, import_id: UUID) -> ImportStatus:
    """Record every kept row, all or nothing, and remember their keys. A refusal
    (a category of the wrong kind, another import of the same lines meanwhile)
    records nothing and gives the import back for review, saying why."""
    try:
        with uow:
            job = _job(uow, import_id)
            if job.status is not ImportStatus.RECORDING:
                return job.status
            kept = uow.imports.kept_rows(import_id)
            new = [row for row in kept if row.match is None]
            ids: list[UUID] = []
            for start in range(0, len(new), BATCH):
                ids += uow.ledger.record(job.account_id, new[start : start + BATCH])
                done = percent(start + BATCH, len(new))
                _announce(uow, import_id, Stage.RECORDING, done, ImportStatus.RECORDING)
            entries = {row.position: entry for row, entry in zip(new, ids, strict=True)}
            linked = [
                (row, row.match if row.match is not None else entries[row.position])
                for row in kept
            ]
            uow.dedupe.remember(import_id, job.account_id, linked)
            uow.imports.mark_recorded(import_id, entries)
            uow.imports.set_status(
                import_id,
                ImportStatus.RECORDED,
                progress=100,
                recorded_at=uow.clock.now(),
                error=None,
            )
            _announce(uow, import_id, Stage.RECORDING, 100, ImportStatus.RECORDED)
    except DomainError as error:
        with uow:
            uow.imports.refuse(import_id, as_statement_error(error))
            _announce(uow, import_id, Stage.RECORDING, 100, ImportStatus.READY)
        return ImportStatus.READY
    return ImportStatus.RECORDED


def undo_import(*, uow: UnitOfWork, import_id: UUID) -> None:
    """Reverse every transaction the import recorded and forget its keys, so the
    same file can be imported again. Linked transactions stay as they were."""
    with uow:
        _job(uow, import_id)
        if not uow.imports.claim(
            import_id, was=ImportStatus.RECORDED, now=ImportStatus.UNDONE
        ):
            raise ConflictError(
                gettext_noop("Only a recorded import can be undone."),
                code="IMPORT_NOT_RECORDED",
            )
        uow.ledger.reverse(uow.imports.recorded_entries(import_id))
        uow.dedupe.forget(import_id)
        uow.imports.set_status(
            import_id, ImportStatus.UNDONE, undone_at=uow.clock.now()
        )


def _job(uow: UnitOfWork, import_id: UUID) -> ImportJob:
    job = uow.imports.get(import_id)
    if job is None:
        raise NotFoundError(gettext_noop("No such import."))
    return job


def _announce(
    uow: UnitOfWork, import_id: UUID, stage: Stage, progress: int, status: ImportStatus
) -> None:
    uow.progress.announce(import_id, stage=stage, progress=progress, status=status)
