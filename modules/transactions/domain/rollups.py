"""The ledger's read model in plain Python: postings summed per line and month.

A line is one of the person's accounts, or a counterpart with its category. A
reversal or a backdated entry simply adds to the month it is dated in, so every
later balance (a running sum over months) stays right without rewriting anything.
Each account line also has one all-time row (month `ALL_TIME`): its balance, read
in one row and returned by the very statement that changes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from modules.transactions.domain.ledger import Counterpart, JournalEntry, Posting

ALL_TIME = date.min  # the "month" of an account's all-time row: its balance


@dataclass(frozen=True, order=True)
class LineMonth:
    """The key of one rollup row."""

    line: str
    currency: str
    month: date
    account_id: UUID | None = None
    counterpart: Counterpart | None = None
    category_id: UUID | None = None


@dataclass(frozen=True)
class Total:
    amount_minor: int
    postings: int

    def __add__(self, other: Total) -> Total:
        return Total(
            self.amount_minor + other.amount_minor, self.postings + other.postings
        )


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def line_key(
    *, account_id: UUID | None, counterpart: str, category_id: UUID | None
) -> str:
    """`account:<id>`, or `<counterpart>:<category id>` (empty when uncategorised)."""
    if account_id is not None:
        return f"account:{account_id}"
    return f"{counterpart}:{category_id or ''}"


def line_of(posting: Posting) -> str:
    return line_key(
        account_id=posting.account_id,
        counterpart=posting.counterpart.value if posting.counterpart else "",
        category_id=posting.category_id,
    )


def keys_of(posting: Posting, on: date) -> list[LineMonth]:
    """The month row a posting adds to, and its account's all-time row."""
    months = [first_of_month(on)]
    if posting.account_id is not None:
        months.append(ALL_TIME)
    return [
        LineMonth(
            line=line_of(posting),
            currency=posting.amount.currency,
            month=month,
            account_id=posting.account_id,
            counterpart=posting.counterpart,
            category_id=posting.category_id,
        )
        for month in months
    ]


def monthly_totals(entries: Iterable[JournalEntry]) -> dict[LineMonth, Total]:
    """What these entries add to each line's month, in a stable (lock) order."""
    totals: dict[LineMonth, Total] = defaultdict(lambda: Total(0, 0))
    for entry in entries:
        for posting in entry.postings:
            for key in keys_of(posting, entry.occurred_on):
                totals[key] = totals[key] + Total(posting.amount.minor, 1)
    return dict(sorted(totals.items()))
