"""Categories label the income and expense lines of entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID


class CategoryKind(StrEnum):
    INCOME = "income"
    EXPENSE = "expense"


@dataclass(frozen=True, kw_only=True)
class Category:
    """A category, or a group of them: a top-level category of the same kind."""

    id: UUID
    name: str
    kind: CategoryKind
    parent_id: UUID | None = None
    archived_at: datetime | None = None
