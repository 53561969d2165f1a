"""What a module hands the export: named tables of plain rows, read lazily.

Each module's `api.py` offers `export_sections()` for the current tenant; the privacy
module writes every section as JSON and as CSV into one zip, streaming the rows, so
no section is ever held in memory whole.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

Row = Mapping[str, Any]


@dataclass(frozen=True, kw_only=True)
class ExportSection:
    """One table of the export: `name` is its file name (`transactions.json`)."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[], Iterable[Row]]
    count: Callable[[], int]
