"""CSV statements, read through a `CsvMapping`, and the guesses that prefill one."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from modules.imports.domain.mapping import (
    SEPARATORS,
    CsvMapping,
    date_formats_for,
    parse_date,
)
from modules.imports.domain.statements import (
    Statement,
    StatementError,
    StatementFormat,
    StatementRow,
    line_error,
)
from modules.imports.infrastructure.parsers.text import (
    NOT_AN_AMOUNT,
    clean,
    parse_amount,
)
from modules.shared.domain.text import gettext_noop

PREVIEW_ROWS = 10
SNIFF_LINES = 30


@dataclass(frozen=True, kw_only=True)
class CsvSample:
    """What the mapping page shows: a guessed mapping's basics, the header, and the
    first rows as they are in the file."""

    separator: str
    skip_rows: int
    header: list[str]
    rows: list[list[str]]
    date_formats: dict[str, list[str]]


def _records(text: str, separator: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every record; quoted fields may span lines."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    line = 1
    for cells in reader:
        yield line, cells
        line = reader.line_num + 1


def sample(text: str) -> CsvSample:
    """Guess the separator and the header line: the header is the first line with
    as many cells as most of the lines below it."""
    head = text.splitlines()[:SNIFF_LINES]
    separator = max(SEPARATORS, key=lambda s: sum(line.count(s) for line in head))
    records = [cells for _, cells in _records("\n".join(head), separator)]
    widths = Counter(len(cells) for cells in records if len(cells) > 1)
    width = widths.most_common(1)[0][0] if widths else 1
    skip = next((i for i, cells in enumerate(records) if len(cells) == width), 0)
    header = [cell.strip() for cell in records[skip]] if records else []
    body = [cells for cells in records[skip + 1 :] if len(cells) == width]
    formats = {
        name: found
        for index, name in enumerate(header)
        if (found := date_formats_for([row[index] for row in body]))
    }
    return CsvSample(
        separator=separator,
        skip_rows=skip,
        header=header,
        rows=body[:PREVIEW_ROWS],
        date_formats=formats,
    )


class _Columns:
    def __init__(self, header: list[str], mapping: CsvMapping, line: int) -> None:
        positions = {name.strip().casefold(): i for i, name in enumerate(header)}
        self.index: dict[str, int | None] = {}
        for role in (
            "date",
            "amount",
            "debit",
            "credit",
            "payee",
            "description",
            "reference",
        ):
            name = getattr(mapping, role)
            if not name:
                self.index[role] = None
                continue
            if name.strip().casefold() not in positions:
                raise line_error(
                    line,
                    gettext_noop("the header has no column “%(column)s”."),
                    column=name,
                )
            self.index[role] = positions[name.strip().casefold()]

    def get(self, cells: list[str], role: str) -> str:
        position = self.index[role]
        if position is None or position >= len(cells):
            return ""
        return cells[position].strip()


def read_csv(text: str, mapping: CsvMapping) -> Statement:
    records = _records(text, mapping.separator)
    for _ in range(mapping.skip_rows):
        next(records, None)
    first = next(records, None)
    if first is None:
        raise StatementError(gettext_noop("The file has no header line."))
    columns = _Columns(first[1], mapping, first[0])
    date_format = mapping.date_format or _detected_format(text, mapping, columns)
    rows: list[StatementRow] = []
    for line, cells in records:
        if not any(cell.strip() for cell in cells):
            continue
        raw_date = columns.get(cells, "date")
        if not raw_date and rows and not _money_cells(columns, cells):
            rows[-1] = _continued(rows[-1], columns, cells)
            continue
        rows.append(_row(line, cells, columns, mapping, date_format))
    return Statement(format=StatementFormat.CSV, rows=rows)


def _detected_format(text: str, mapping: CsvMapping, columns: _Columns) -> str:
    records = _records(text, mapping.separator)
    values = [
        columns.get(cells, "date")
        for index, (_, cells) in enumerate(records)
        if index > mapping.skip_rows
    ]
    found = date_formats_for(values)
    if not found:
        raise StatementError(
            gettext_noop("No date format reads every date in the column “%(column)s”."),
            column=mapping.date,
        )
    return found[0]


def _money_cells(columns: _Columns, cells: list[str]) -> bool:
    return any(columns.get(cells, role) for role in ("amount", "debit", "credit"))


def _continued(row: StatementRow, columns: _Columns, cells: list[str]) -> StatementRow:
    """A line with no date and no amount carries on the description above it."""
    more = clean(" ".join(cell for cell in cells if cell.strip()))
    return replace(row, description=f"{row.description} {more}".strip())


def _row(
    line: int,
    cells: list[str],
    columns: _Columns,
    mapping: CsvMapping,
    date_format: str,
) -> StatementRow:
    raw_date = columns.get(cells, "date")
    try:
        on = parse_date(raw_date, date_format)
    except ValueError:
        raise line_error(
            line,
            gettext_noop("“%(value)s” is not a date in the format %(format)s."),
            value=raw_date,
            format=date_format,
        ) from None
    return StatementRow(
        line=line,
        on=on,
        amount=_amount(line, cells, columns, mapping),
        payee=clean(columns.get(cells, "payee")),
        description=clean(columns.get(cells, "description")),
        reference=columns.get(cells, "reference"),
    )


def _amount(
    line: int, cells: list[str], columns: _Columns, mapping: CsvMapping
) -> Decimal:
    def read(role: str) -> Decimal:
        raw = columns.get(cells, role)
        if not raw:
            return Decimal(0)
        try:
            return parse_amount(raw, decimal_comma=mapping.decimal_comma)
        except ValueError:
            raise line_error(line, NOT_AN_AMOUNT, value=raw) from None

    if mapping.amount:
        return read("amount")
    return abs(read("credit")) - abs(read("debit"))
