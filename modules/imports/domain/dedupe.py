"""Which statement rows are new, already imported, or probably entered by hand
(ADR 0017).

A row's key is the bank's own id when it gives one; otherwise a fingerprint of the
account, date, amount and normalised text, plus the row's occurrence among identical
rows of the same file. So two real, identical purchases on one day keep two keys, and
an overlapping statement repeats the keys of the rows it shares.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from modules.imports.domain.statements import StatementRow

MATCH_WINDOW = timedelta(days=3)


class RowStatus(StrEnum):
    NEW = "new"
    DUPLICATE = "duplicate"
    MATCH = "match"


class RowAction(StrEnum):
    RECORD = "record"
    LINK = "link"
    SKIP = "skip"


DEFAULT_ACTION = {
    RowStatus.NEW: RowAction.RECORD,
    RowStatus.MATCH: RowAction.LINK,
    RowStatus.DUPLICATE: RowAction.SKIP,
}
ALLOWED_ACTIONS = {
    RowStatus.NEW: {RowAction.RECORD, RowAction.SKIP},
    RowStatus.MATCH: {RowAction.LINK, RowAction.RECORD, RowAction.SKIP},
    RowStatus.DUPLICATE: {RowAction.SKIP},
}


def normalised_text(row: StatementRow) -> str:
    text = unicodedata.normalize("NFKC", f"{row.payee} {row.description}")
    return " ".join(text.casefold().split())


def row_keys(account_id: UUID, rows: Iterable[StatementRow]) -> list[str]:
    """One dedupe key per row, in order."""
    seen: Counter[str] = Counter()
    keys = []
    for row in rows:
        if row.bank_id:
            base = f"id:{row.bank_id}"
        else:
            raw = f"{account_id}|{row.on.isoformat()}|{row.amount:f}|{normalised_text(row)}"
            base = "fp:" + hashlib.sha256(raw.encode()).hexdigest()[:40]
        keys.append(f"{base}:{seen[base]}")
        seen[base] += 1
    return keys


@dataclass(frozen=True, slots=True, kw_only=True)
class Existing:
    """A transaction already in the account. `imported_key` is the key of the
    statement row it came from; empty when it was entered by hand."""

    entry_id: UUID
    on: date
    amount: Decimal
    text: str = ""
    imported_key: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class Classified:
    status: RowStatus
    key: str
    match: UUID | None = None


def classify(
    rows: Sequence[StatementRow],
    keys: Sequence[str],
    *,
    known: set[str],
    existing: Iterable[Existing],
) -> list[Classified]:
    """A known key is a duplicate. Otherwise the closest unclaimed transaction with the
    same amount within three days is a possible match: one entered by hand; or one
    imported before whose own row this file should hold (its date is inside the
    file's dates) but does not, with the same text: the bank moved its date."""
    in_file = set(keys)
    first = min((row.on for row in rows), default=date.max)
    last = max((row.on for row in rows), default=date.min)
    by_amount: defaultdict[Decimal, list[Existing]] = defaultdict(list)
    for candidate in existing:
        by_amount[candidate.amount].append(candidate)
    claimed: set[UUID] = set()
    result = []
    for row, key in zip(rows, keys, strict=True):
        if key in known:
            result.append(Classified(status=RowStatus.DUPLICATE, key=key))
            continue
        match = _closest(row, by_amount[row.amount], claimed, in_file, first, last)
        if match is None:
            result.append(Classified(status=RowStatus.NEW, key=key))
        else:
            claimed.add(match.entry_id)
            result.append(
                Classified(status=RowStatus.MATCH, key=key, match=match.entry_id)
            )
    return result


def _closest(
    row: StatementRow,
    candidates: list[Existing],
    claimed: set[UUID],
    in_file: set[str],
    first: date,
    last: date,
) -> Existing | None:
    text = normalised_text(row)

    def fits(candidate: Existing) -> bool:
        if candidate.entry_id in claimed or abs(candidate.on - row.on) > MATCH_WINDOW:
            return False
        if not candidate.imported_key:
            return True
        return (
            candidate.imported_key not in in_file
            and first <= candidate.on <= last
            and candidate.text == text
        )

    fitting = [c for c in candidates if fits(c)]
    return min(fitting, key=lambda c: abs(c.on - row.on), default=None)
