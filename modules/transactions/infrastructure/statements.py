"""An account's statement: its lines newest first, each with the balance after it.

Pages are cut by keyset (never OFFSET) and the running balance costs the same
queries whatever the page or the history: a window function sums the page's own
rows oldest first, and what is older than the page is the monthly totals of the
months before it plus that one month's older postings (architecture §6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from django.db.models import F, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.expressions import RowRange
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from modules.shared.domain.balances import as_shown
from modules.shared.domain.money import Money
from modules.shared.infrastructure.keyset import Key, keyset_page
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.domain.rollups import ALL_TIME, first_of_month
from modules.transactions.infrastructure.models import (
    Category,
    Entry,
    MonthlyTotal,
    Posting,
)
from modules.transactions.infrastructure.selectors import postings_of

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
    EntryKind.REVALUATION: _("Valuation"),
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
    older: str | None  # cursor of the next older page
    newer: str | None  # cursor of the next newer page

    @property
    def has_older(self) -> bool:
        return self.older is not None

    @property
    def has_newer(self) -> bool:
        return self.newer is not None


POSTING_KEY = Key(fields=("occurred_on", "id"), types=(date, int))
# The API's transactions list orders entries by date, then when recorded, then id.
ENTRY_ORDER = ("-occurred_on", "-created_at", "-id")
POSTING_BY_ENTRY_KEY = Key(
    fields=("occurred_on", "entry__created_at", "entry_id"),
    types=(date, datetime, UUID),
)


def account_statement(
    account_id: UUID,
    *,
    page_size: int,
    currency: str,
    liability: bool = False,
    before: str | None = None,
    after: str | None = None,
) -> Statement:
    """The page of the account's lines older than `before` (or newer than `after`,
    or the newest). `amount` keeps the ledger's sign (money into the account is
    positive); `balance` is in the account's own sense (a liability: what is owed)."""
    lines = Posting.objects.filter(account_id=account_id)
    page = keyset_page(lines, POSTING_KEY, size=page_size, before=before, after=after)
    if not page.rows:
        return Statement(lines=[], older=page.older, newer=page.newer)
    oldest = page.rows[-1]
    base = balance_before(account_id, oldest.occurred_on, oldest.id)
    rows = _page_with_running_sum([row.id for row in page.rows])
    return Statement(
        lines=[
            _line(row, base=base, liability=liability, currency=currency)
            for row in rows
        ],
        older=page.older,
        newer=page.newer,
    )


def balance_before(account_id: UUID, on: date, posting_id: int) -> int:
    """The account's balance just before one of its postings (ledger sign): the
    monthly totals of earlier months, plus that month's earlier postings."""
    return _months_before(account_id, on) + _this_month_before(
        account_id, on, POSTING_KEY.older_than((on, posting_id))
    )


def running_balances(
    account_id: UUID, page: list[Entry], *, currency: str, liability: bool
) -> dict[UUID, Money]:
    """The account's balance after each entry of a page of its transactions, newest
    first in `ENTRY_ORDER`. The page must be a contiguous run of the account's
    entries (filtered by account and dates only), so each balance is the one before
    it plus the entry's own postings on the account: two queries whatever the page."""
    if not page:
        return {}
    oldest = page[-1]
    balance = _months_before(account_id, oldest.occurred_on) + _this_month_before(
        account_id,
        oldest.occurred_on,
        POSTING_BY_ENTRY_KEY.older_than(
            (oldest.occurred_on, oldest.created_at, oldest.id)
        ),
    )
    after: dict[UUID, Money] = {}
    for entry in reversed(page):
        balance += sum(
            p.amount_minor for p in postings_of(entry) if p.account_id == account_id
        )
        shown = as_shown(Money.from_minor(balance, currency), liability=liability)
        after[entry.id] = shown
    return after


def _months_before(account_id: UUID, on: date) -> int:
    total = MonthlyTotal.objects.filter(
        account_id=account_id, month__gt=ALL_TIME, month__lt=first_of_month(on)
    ).aggregate(total=Sum("amount_minor"))["total"]
    return int(total or 0)


def _this_month_before(account_id: UUID, on: date, older: Q) -> int:
    total = (
        Posting.objects.filter(
            account_id=account_id, occurred_on__gte=first_of_month(on)
        )
        .filter(older)
        .aggregate(total=Sum("amount_minor"))["total"]
    )
    return int(total or 0)


def _page_with_running_sum(page_ids: list[int]) -> QuerySet[Posting]:
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
