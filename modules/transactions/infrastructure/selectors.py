"""Read models of the ledger: transactions as people see them, filtered and paged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import batched
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from modules.shared.domain.money import Money, currencies_by_minor_units
from modules.transactions.domain.ledger import EntryKind
from modules.transactions.infrastructure.models import Entry, Posting


@dataclass(frozen=True, kw_only=True)
class TransactionView:
    """An entry in the API's words: one account, or a from/to pair, and one amount."""

    entry: Entry
    amount: Money
    account: UUID | None
    from_account: UUID | None
    to_account: UUID | None
    to_amount: Money | None
    category: UUID | None
    running_balance: Money | None = None  # the account's, in a list by account

    @property
    def reversed_by(self) -> UUID | None:
        reversal = getattr(self.entry, "reversed_by", None)
        return reversal.id if reversal else None


def postings_of(entry: Entry) -> list[Posting]:
    """The entry's postings, from the page's single prefetch when there was one."""
    prefetched: list[Posting] | None = getattr(entry, "lines", None)
    return prefetched if prefetched is not None else list(entry.postings.all())


def transaction_view(entry: Entry) -> TransactionView:
    postings = postings_of(entry)
    own = [p for p in postings if p.account_id is not None]
    category = next((p.category_id for p in postings if p.category_id), None)
    if len(own) >= 2:
        source = next(p for p in own if p.amount_minor < 0)
        target = next(p for p in own if p.amount_minor > 0)
        amount = Money.from_minor(-source.amount_minor, source.currency)
        received = Money.from_minor(target.amount_minor, target.currency)
        return TransactionView(
            entry=entry,
            amount=amount,
            account=None,
            category=category,
            from_account=source.account_id,
            to_account=target.account_id,
            to_amount=received if received.currency != amount.currency else None,
        )
    line = own[0]
    return TransactionView(
        entry=entry,
        amount=Money.from_minor(abs(line.amount_minor), line.currency),
        account=line.account_id,
        from_account=None,
        to_account=None,
        to_amount=None,
        category=category,
    )


@dataclass(frozen=True, kw_only=True)
class TransactionFilter:
    account: UUID | None = None
    category: UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    text: str = ""
    kind: EntryKind | None = None

    @property
    def follows_one_account(self) -> bool:
        """Filtered by an account and at most dates: the rows are a contiguous run of
        that account's entries, so each can carry the balance after it."""
        others = (self.category, self.amount_min, self.amount_max, self.text, self.kind)
        return self.account is not None and not any(v for v in others)


def entries(filters: TransactionFilter = TransactionFilter()) -> QuerySet[Entry]:
    """Entries of the current tenant matching every filter given; postings prefetched so
    a page costs the same few queries whatever its size."""
    lines = Prefetch(
        "postings", queryset=Posting.objects.order_by("id"), to_attr="lines"
    )
    rows = Entry.objects.select_related("reversed_by").prefetch_related(lines)
    if filters.date_from:
        rows = rows.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        rows = rows.filter(occurred_on__lte=filters.date_to)
    if filters.kind:
        rows = rows.filter(kind=filters.kind.value)
    if filters.text:
        text = filters.text
        rows = rows.filter(
            Q(payee__icontains=text)
            | Q(description__icontains=text)
            | Q(notes__icontains=text)
        )
    line = _posting_filter(filters)
    if line is not None:
        rows = rows.filter(Exists(Posting.objects.filter(line, entry=OuterRef("pk"))))
    return rows


def _posting_filter(filters: TransactionFilter) -> Q | None:
    conditions = Q()
    if filters.account:
        conditions &= Q(account_id=filters.account)
    if filters.category:
        conditions &= Q(category_id=filters.category) | Q(
            category__parent_id=filters.category
        )
    if filters.amount_min is not None or filters.amount_max is not None:
        conditions &= Q(account__isnull=False) & _amount_range(filters)
    return conditions or None


def _amount_range(filters: TransactionFilter) -> Q:
    """Amounts compare within a currency: the bounds become minor units per group of
    currencies with the same number of decimals, so no query is needed to find them."""
    matches = Q(pk__in=[])
    for digits, currencies in currencies_by_minor_units().items():
        scale = Decimal(10) ** digits
        low = int((filters.amount_min or Decimal(0)) * scale)
        high = (
            int(filters.amount_max * scale) if filters.amount_max is not None else None
        )
        outgoing = Q(amount_minor__lte=-low)
        incoming = Q(amount_minor__gte=low)
        if high is not None:
            outgoing &= Q(amount_minor__gte=-high)
            incoming &= Q(amount_minor__lte=high)
        matches |= Q(currency__in=sorted(currencies)) & (outgoing | incoming)
    return matches


MOVEMENT_CHUNK = 2000


@dataclass(frozen=True, kw_only=True)
class Movement:
    """One standing transaction as one account sees it: signed, money in positive."""

    transaction_id: UUID
    kind: EntryKind
    account_id: UUID
    on: date
    amount: Money
    payee: str
    description: str
    category_id: UUID | None
    split: bool = False  # several income or expense lines (`with_categories` only)


def account_movements(
    account_ids: list[UUID],
    *,
    start: date = date.min,
    end: date = date.max,
    with_categories: bool = False,
) -> Iterator[Movement]:
    """The accounts' transactions between two dates that are neither reversed nor
    reversals, oldest first, streamed: for an importer to find what a statement line
    may already be, and for rules to look back over history (`with_categories`)."""
    rows = (
        Posting.objects.filter(
            account_id__in=account_ids,
            occurred_on__range=(start, end),
            entry__reverses__isnull=True,
            entry__reversed_by__isnull=True,
        )
        .order_by("occurred_on", "entry_id")
        .values_list(
            "entry_id",
            "entry__kind",
            "account_id",
            "occurred_on",
            "amount_minor",
            "currency",
            "entry__payee",
            "entry__description",
        )
        .iterator(chunk_size=MOVEMENT_CHUNK)
    )
    for chunk in batched(rows, MOVEMENT_CHUNK):
        categories, splits = (
            _line_categories([row[0] for row in chunk])
            if with_categories
            else ({}, set())
        )
        for entry_id, kind, account_id, on, minor, currency, payee, text in chunk:
            yield Movement(
                transaction_id=entry_id,
                kind=EntryKind(kind),
                account_id=account_id,
                on=on,
                amount=Money.from_minor(minor, currency),
                payee=payee,
                description=text,
                category_id=categories.get(entry_id),
                split=entry_id in splits,
            )


def _line_categories(
    entry_ids: list[UUID],
) -> tuple[dict[UUID, UUID], set[UUID]]:
    """The category of each entry's income or expense line, and the entries that
    have several such lines (a split)."""
    categories: dict[UUID, UUID] = {}
    seen: set[UUID] = set()
    splits: set[UUID] = set()
    lines = Posting.objects.filter(entry_id__in=entry_ids, account__isnull=True)
    for entry_id, category_id in lines.values_list("entry_id", "category_id"):
        if entry_id in seen:
            splits.add(entry_id)
        seen.add(entry_id)
        if category_id is not None:
            categories.setdefault(entry_id, category_id)
    return categories, splits
