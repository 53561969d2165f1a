"""An account's statement: its lines newest first, each with the balance after it.

The running balance costs the same two queries whatever the page or the history:
a window function sums the page's own rows oldest first, and one SUM adds everything
older than the page (architecture §6). Never a query per row, and the window never
runs over the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, F, Prefetch, QuerySet, Sum, Window
from django.db.models.expressions import RowRange
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from modules.shared.domain.balances import as_shown
from modules.shared.domain.money import Money
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.infrastructure.models import Category, Entry, Posting

# Posting ids grow with insertion, so they order lines of one day as they were made.
NEWEST_FIRST = ("-occurred_on", "-id")
OLDEST_FIRST = (F("occurred_on").asc(), F("id").asc())

KIND_LABELS: dict[str, Promise] = {
    EntryKind.INFLOW: _("Money in"),
    EntryKind.OUTFLOW: _("Money out"),
    EntryKind.TRANSFER: _("Transfer"),
    EntryKind.OPENING_BALANCE: _("Opening balance"),
    EntryKind.ADJUSTMENT: _("Balance adjustment"),
    EntryKind.REVERSAL: _("Reversal"),
}


@dataclass(frozen=True, kw_only=True)
class StatementLine:
    """One posting on the account, with what the person needs to recognise it."""

    entry: Entry
    amount: Money
    balance: Money
    category: Category | None
    other_account_id: UUID | None

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.entry.kind, self.entry.kind))

    @property
    def is_reversal(self) -> bool:
        return self.entry.kind == EntryKind.REVERSAL

    @property
    def is_reversed(self) -> bool:
        return getattr(self.entry, "reversed_by", None) is not None


@dataclass(frozen=True, kw_only=True)
class Statement:
    lines: list[StatementLine]
    page: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.page > 1


def account_statement(
    account_id: UUID,
    *,
    page: int,
    page_size: int,
    currency: str,
    liability: bool = False,
) -> Statement:
    """Page `page` (from 1) of the account's lines. `amount` keeps the ledger's sign
    (money into the account is positive); `balance` is in the account's own sense,
    so a liability shows what is owed as a positive amount."""
    lines = Posting.objects.filter(account_id=account_id).order_by(*NEWEST_FIRST)
    start = (page - 1) * page_size
    page_ids = lines.values("id")[start : start + page_size]
    rows = list(_page_with_running_sum(page_ids))
    older = lines[start + page_size :].aggregate(
        total=Sum("amount_minor"), count=Count("id")
    )
    base = int(older["total"] or 0)
    return Statement(
        lines=[
            _line(row, base=base, liability=liability, currency=currency)
            for row in rows
        ],
        page=page,
        has_older=bool(older["count"]),
    )


def _page_with_running_sum(page_ids: QuerySet[Posting]) -> QuerySet[Posting]:
    """The page's rows, each with the sum of the page's rows up to it (oldest first);
    the window runs after the page is cut out, over its rows alone."""
    return (
        Posting.objects.filter(id__in=page_ids)
        .annotate(
            running=Window(
                Sum("amount_minor"),
                order_by=OLDEST_FIRST,
                frame=RowRange(start=None, end=0),
            )
        )
        .select_related("entry", "entry__reversed_by")
        .prefetch_related(
            Prefetch(
                "entry__postings", queryset=Posting.objects.select_related("category")
            )
        )
        .order_by(*NEWEST_FIRST)
    )


def _line(row: Posting, *, base: int, liability: bool, currency: str) -> StatementLine:
    siblings = [p for p in row.entry.postings.all() if p.pk != row.pk]
    category = next((p.category for p in siblings if p.category_id), None)
    other = next((p.account_id for p in siblings if p.account_id), None)
    running = base + int(row.running)
    return StatementLine(
        entry=row.entry,
        amount=Money.from_minor(row.amount_minor, currency),
        balance=as_shown(Money.from_minor(running, currency), liability=liability),
        category=category,
        other_account_id=other,
    )
