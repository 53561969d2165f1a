"""Writing an export: every section as JSON and as CSV, into one zip, row by row.

Rows are read once. Each JSON file goes straight into the zip; the CSV of the same
rows is spooled to a temporary file meanwhile (a zip takes one open member at a
time) and added after. Memory stays flat whatever the number of rows.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder

from modules.shared.application.exports import ExportSection, Row

FORMAT_VERSION = 1
# Rows between two calls of `on_rows`: progress is reported at this grain.
REPORT_EVERY = 1000


def write_zip(
    path: Path,
    sections: Sequence[ExportSection],
    *,
    on_rows: Callable[[int], None],
) -> dict[str, int]:
    """Write `path`; `on_rows(n)` hears of every `n` rows written. Returns the row
    count of each section, as the manifest inside the zip says too."""
    counts: dict[str, int] = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for section in sections:
            counts[section.name] = _write_section(archive, section, on_rows)
        archive.writestr("manifest.json", _manifest(counts))
    return counts


def _write_section(
    archive: zipfile.ZipFile, section: ExportSection, on_rows: Callable[[int], None]
) -> int:
    with tempfile.TemporaryFile("w+", encoding="utf-8", newline="") as spool:
        table = csv.writer(spool)
        table.writerow(section.columns)
        with archive.open(f"{section.name}.json", "w") as member:
            text = io.TextIOWrapper(member, encoding="utf-8")
            written = _write_rows(text, table, section, on_rows)
            text.flush()
            text.detach()
        spool.seek(0)
        with archive.open(f"{section.name}.csv", "w") as member:
            _copy(spool, member)
    return written


def _write_rows(
    text: IO[str],
    table: Any,
    section: ExportSection,
    on_rows: Callable[[int], None],
) -> int:
    written = 0
    text.write("[")
    for row in _rows(section.rows()):
        text.write(",\n" if written else "\n")
        text.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
        table.writerow([_cell(row.get(column)) for column in section.columns])
        written += 1
        if written % REPORT_EVERY == 0:
            on_rows(REPORT_EVERY)
    text.write("\n]\n")
    on_rows(written % REPORT_EVERY)
    return written


def _rows(rows: Iterable[Row]) -> Iterable[dict[str, Any]]:
    return (dict(row) for row in rows)


def _cell(value: Any) -> str:
    """A CSV cell: empty for none, ISO 8601 for dates, JSON for nested values."""
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _copy(spool: IO[str], member: IO[bytes]) -> None:
    while chunk := spool.read(64 * 1024):
        member.write(chunk.encode("utf-8"))


def _manifest(counts: dict[str, int]) -> str:
    return json.dumps(
        {
            "format": FORMAT_VERSION,
            "written_at": datetime.now(UTC).isoformat(),
            "files": {name: [f"{name}.json", f"{name}.csv"] for name in counts},
            "rows": counts,
            "amounts": "decimal strings in each row's currency",
        },
        indent=2,
    )
