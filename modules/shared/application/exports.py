"""What a module hands the export: named tables of plain rows, read lazily.

Each module's `api.py` offers `export_sections()` for the current tenant; the privacy
module writes every section as JSON and as CSV into one zip, streaming the rows, so
no section is ever held in memory whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from modules.shared.domain.money import Money

Row = Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class ExportSection:
    """One table of the export: `name` is its file name (`transactions.json`)."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[Row]]
    count: Callable[[], int]


def with_amounts(
    row: dict[str, Any], minor_fields: Mapping[str, str]
) -> dict[str, Any]:
    """The row with each integer minor-units field (`limit_minor`) replaced by its
    decimal string (`limit`) in the row's `currency`; none stays none."""
    for minor, name in minor_fields.items():
        units = row.pop(minor)
        row[name] = (
            None
            if units is None
            else Money.from_minor(units, row["currency"]).to_string()
        )
    return row
