"""Categories label the income and expense lines of entries."""

from __future__ import annotations

from enum import StrEnum


class CategoryKind(StrEnum):
    INCOME = "income"
    EXPENSE = "expense"
