"""Update commands: a field left `UNCHANGED` keeps its value, anything else replaces it.

Frozen, keyword-only dataclasses, so a caller names exactly what changes (the API's
and the forms' field names are the commands' names) and `None` can still be a value.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime
from enum import Enum
from typing import Any, Final


class Unchanged(Enum):
    UNCHANGED = "unchanged"

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Final = Unchanged.UNCHANGED


def given[T](value: T | Unchanged, current: T) -> T:
    """The command's value, or `current` where the command leaves the field as it is."""
    return current if value is UNCHANGED else value


def changed_fields(command: Any) -> list[str]:
    """The optional fields (those that default to `UNCHANGED`) a command sets, in
    declaration order; the ids it is addressed to are never among them."""
    return [
        f.name
        for f in fields(command)
        if f.default is UNCHANGED and getattr(command, f.name) is not UNCHANGED
    ]


def archived_at(
    current: datetime | None, archived: bool | Unchanged, *, now: datetime
) -> datetime | None:
    """When something archivable was archived: archiving again keeps the first moment,
    restoring clears it."""
    if archived is UNCHANGED:
        return current
    return (current or now) if archived else None
