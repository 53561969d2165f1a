"""Imports as people see them: status, counts, the rows to review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count

from modules.imports.domain.dedupe import RowStatus
from modules.imports.domain.statements import LINE_PREFIX
from modules.imports.infrastructure.models import ImportRow, StatementImport
from modules.imports.infrastructure.parsers.csvfile import CsvSample
from modules.imports.infrastructure.parsers.reader import FileStatementReader

PREVIEW_LIMIT = 1000


@dataclass(frozen=True, kw_only=True)
class ImportSummary:
    new: int
    duplicate: int
    match: int
    skipped: int


def summary(statement_import: StatementImport) -> ImportSummary:
    counts = dict(
        ImportRow.objects.filter(statement_import=statement_import)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return ImportSummary(
        new=counts.get(RowStatus.NEW, 0),
        duplicate=counts.get(RowStatus.DUPLICATE, 0),
        match=counts.get(RowStatus.MATCH, 0),
        skipped=len(statement_import.skipped),
    )


def error_text(
    statement_import: StatementImport, translate: Callable[[str], str]
) -> str:
    """The stored error in the reader's language."""
    error = statement_import.error
    if not error:
        return ""
    params = error.get("params") or {}
    what = translate(error["what"]) % params if params else translate(error["what"])
    if not error.get("line"):
        return what
    return translate(LINE_PREFIX) % {"line": error["line"], "what": what}


def skipped_lines(
    statement_import: StatementImport, translate: Callable[[str], str]
) -> list[dict[str, object]]:
    return [
        {"line": s["line"], "reason": translate(s["reason"]) % {"value": s["value"]}}
        for s in statement_import.skipped
    ]


def preview_rows(import_id: UUID, limit: int = PREVIEW_LIMIT) -> list[ImportRow]:
    return list(
        ImportRow.objects.filter(statement_import_id=import_id).order_by("position")[
            :limit
        ]
    )


def csv_sample(statement_import: StatementImport) -> CsvSample:
    encoding = (statement_import.mapping or {}).get("encoding", "")
    return FileStatementReader().sample(
        bytes(statement_import.content), encoding=encoding
    )
