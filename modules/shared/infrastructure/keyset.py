"""Keyset paging for lists newest first: a page starts after a row's key, never at an
OFFSET, so page 500 costs what page 1 costs.

A cursor is the ordering key of a page's edge row, written as text
(`2026-11-20~4711`); a cursor that does not parse is ignored (the first page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import reduce
from operator import or_
from typing import Any
from uuid import UUID

from django.db.models import Model, Q, QuerySet

SEPARATOR = "~"
Parser = Callable[[str], Any]


def _bigint(text: str) -> int:
    value = int(text)
    if not -(2**63) <= value < 2**63:
        raise ValueError(text)
    return value


def _moment(text: str) -> datetime:
    """An aware moment, in UTC (a naive one, or one that leaves the calendar, fails)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return moment.astimezone(UTC)


PARSERS: dict[type, Parser] = {
    date: date.fromisoformat,
    datetime: _moment,
    int: _bigint,
    UUID: UUID,
    str: str,
}


@dataclass(frozen=True)
class Key:
    """The fields a list is ordered by, newest first, and their types."""

    fields: tuple[str, ...]
    types: tuple[type, ...]

    def of(self, row: Model) -> str:
        return SEPARATOR.join(_text(getattr(row, f)) for f in self.fields)

    def parse(self, cursor: str | None) -> tuple[Any, ...] | None:
        parts = (cursor or "").split(SEPARATOR)
        if len(parts) != len(self.fields):
            return None
        try:
            return tuple(
                PARSERS[kind](part)
                for kind, part in zip(self.types, parts, strict=True)
            )
        except (KeyError, ValueError, OverflowError):
            return None

    def newest_first(self) -> list[str]:
        return [f"-{field}" for field in self.fields]

    def oldest_first(self) -> list[str]:
        return list(self.fields)

    def older_than(self, values: Sequence[Any]) -> Q:
        return self._compare(values, "lt")

    def newer_than(self, values: Sequence[Any]) -> Q:
        return self._compare(values, "gt")

    def _compare(self, values: Sequence[Any], lookup: str) -> Q:
        """(a, b, c) < (x, y, z), spelled out so every database uses the index."""
        terms = []
        for depth, field in enumerate(self.fields):
            equal = dict(zip(self.fields[:depth], values[:depth], strict=True))
            terms.append(Q(**equal, **{f"{field}__{lookup}": values[depth]}))
        return reduce(or_, terms)


@dataclass(frozen=True)
class Page[Row: Model]:
    rows: list[Row]
    older: str | None  # the cursor of the next older page, if there is one
    newer: str | None  # the cursor of the next newer page, if there is one


def keyset_page[Row: Model](
    rows: QuerySet[Row],
    key: Key,
    *,
    size: int,
    before: str | None = None,
    after: str | None = None,
) -> Page[Row]:
    """The page older than `before`, newer than `after`, or the newest page."""
    older_than, newer_than = key.parse(before), key.parse(after)
    if newer_than is not None:
        found = list(
            rows.filter(key.newer_than(newer_than)).order_by(*key.oldest_first())[
                : size + 1
            ]
        )
        page = list(reversed(found[:size]))
        has_newer, has_older = len(found) > size, bool(page)
    else:
        if older_than is not None:
            rows = rows.filter(key.older_than(older_than))
        found = list(rows.order_by(*key.newest_first())[: size + 1])
        page = found[:size]
        has_newer, has_older = older_than is not None and bool(page), len(found) > size
    return Page(
        rows=page,
        older=key.of(page[-1]) if has_older else None,
        newer=key.of(page[0]) if has_newer else None,
    )


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value)
