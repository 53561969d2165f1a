"""Django implementations of the ledger's ports: entries to rows and back, in bulk."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from uuid import UUID

from django.db import connection

from modules.shared.application.clock import Clock
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.money import Money
from modules.transactions.domain.categories import Category, CategoryKind
from modules.transactions.domain.ledger import (
    Counterpart,
    EntryKind,
    EntryText,
    JournalEntry,
    Posting,
)
from modules.transactions.domain.rollups import monthly_totals
from modules.transactions.infrastructure import rollups
from modules.transactions.infrastructure.models import Category as CategoryRow
from modules.transactions.infrastructure.models import Entry
from modules.transactions.infrastructure.models import Posting as PostingRow


class DjangoEntryStore:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.recorded: dict[UUID, Entry] = {}

    def add_all(self, entries: list[JournalEntry]) -> dict[UUID, int]:
        """Save entries and their postings and add them to the monthly totals (one
        statement on PostgreSQL, three elsewhere); returns the accounts' new balances.

        The saved rows are kept in `recorded`, so a response needs no read back.
        """
        tenant_id = current_tenant_id()
        now = self.clock.now()
        rows = [_entry_row(tenant_id, entry, now) for entry in entries]
        for row, entry in zip(rows, entries, strict=True):
            row.lines = [_posting_row(tenant_id, entry, p) for p in entry.postings]  # type: ignore[attr-defined]
            self.recorded[entry.id] = row
        lines = [line for row in rows for line in row.lines]  # type: ignore[attr-defined]
        totals = monthly_totals(entries)
        if connection.vendor == "postgresql" and totals:
            return rollups.add(
                tenant_id, totals, first=entries_and_postings_insert(rows, lines)
            )
        Entry.objects.bulk_create(rows)
        PostingRow.objects.bulk_create(lines)
        return rollups.add(tenant_id, totals)

    def get(self, entry_id: UUID) -> JournalEntry | None:
        row = Entry.objects.filter(id=entry_id).prefetch_related("postings").first()
        return to_domain(row) if row else None

    def is_reversed(self, entry_id: UUID) -> bool:
        return Entry.objects.filter(reverses_id=entry_id).exists()

    def raw_balance(self, account_id: UUID, currency: str) -> Money:
        return rollups.account_balance(account_id, currency)


def _entry_row(tenant_id: UUID, entry: JournalEntry, now: datetime) -> Entry:
    row = Entry(
        id=entry.id,
        tenant_id=tenant_id,
        kind=entry.kind.value,
        occurred_on=entry.occurred_on,
        payee=entry.text.payee,
        description=entry.text.description,
        notes=entry.text.notes,
        reverses_id=entry.reverses,
        created_at=now,
    )
    Entry.reversed_by.related.set_cached_value(row, None)  # new: reversed by nothing
    return row


def _posting_row(tenant_id: UUID, entry: JournalEntry, posting: Posting) -> PostingRow:
    return PostingRow(
        tenant_id=tenant_id,
        entry_id=entry.id,
        account_id=posting.account_id,
        counterpart=posting.counterpart.value if posting.counterpart else "",
        category_id=posting.category_id,
        currency=posting.amount.currency,
        amount_minor=posting.amount.minor,
        occurred_on=entry.occurred_on,
    )


ENTRY_COLUMNS = (
    "tenant_id",
    "id",
    "kind",
    "occurred_on",
    "payee",
    "description",
    "notes",
    "reverses_id",
    "created_at",
)
POSTING_COLUMNS = (
    "tenant_id",
    "entry_id",
    "account_id",
    "counterpart",
    "category_id",
    "currency",
    "amount_minor",
    "occurred_on",
)


def entries_and_postings_insert(
    entries: list[Entry], postings: list[PostingRow]
) -> tuple[str, list[object]]:
    """PostgreSQL: entries and their postings as data-modifying CTEs, to run in the
    monthly totals' upsert (the foreign keys are checked at commit, as Django
    declares them)."""
    entry_values = ", ".join(
        ["(" + ", ".join(["%s"] * len(ENTRY_COLUMNS)) + ")"] * len(entries)
    )
    posting_values = ", ".join(
        ["(" + ", ".join(["%s"] * len(POSTING_COLUMNS)) + ")"] * len(postings)
    )
    params = [getattr(row, column) for row in entries for column in ENTRY_COLUMNS]
    params += [getattr(row, column) for row in postings for column in POSTING_COLUMNS]
    sql = (
        f"entries AS (INSERT INTO {Entry._meta.db_table} "  # noqa: S608
        f"({', '.join(ENTRY_COLUMNS)}) VALUES {entry_values}), "
        f"postings AS (INSERT INTO {PostingRow._meta.db_table} "
        f"({', '.join(POSTING_COLUMNS)}) VALUES {posting_values})"
    )
    return sql, params


def to_domain(row: Entry) -> JournalEntry:
    return JournalEntry(
        id=row.id,
        kind=EntryKind(row.kind),
        occurred_on=row.occurred_on,
        text=EntryText(payee=row.payee, description=row.description, notes=row.notes),
        reverses=row.reverses_id,
        postings=tuple(
            Posting(
                amount=Money.from_minor(p.amount_minor, p.currency),
                account_id=p.account_id,
                counterpart=Counterpart(p.counterpart) if p.counterpart else None,
                category_id=p.category_id,
            )
            for p in row.postings.all()
        ),
    )


def raw_balances(account_ids: Iterable[UUID]) -> dict[UUID, int]:
    """Balance of each account, from the monthly totals (O(months), not O(postings))."""
    return rollups.account_balances(account_ids)


class DjangoCategoryStore:
    """`CategoryStore` over the tenant-scoped category table."""

    def kinds_of(self, category_ids: Iterable[UUID]) -> dict[UUID, CategoryKind]:
        rows = CategoryRow.objects.filter(
            id__in=list(category_ids), archived_at__isnull=True
        ).values_list("id", "kind")
        return {category_id: CategoryKind(kind) for category_id, kind in rows}

    def add(self, category: Category) -> None:
        CategoryRow.objects.create(
            id=category.id,
            tenant_id=current_tenant_id(),
            name=category.name,
            kind=category.kind.value,
            parent_id=category.parent_id,
            archived_at=category.archived_at,
        )

    def get(self, category_id: UUID) -> Category | None:
        """Locked until commit (PostgreSQL), so two edits cannot undo each other."""
        row = (
            CategoryRow.objects.select_for_update(no_key=True)
            .filter(id=category_id)
            .first()
        )
        if row is None:
            return None
        return Category(
            id=row.id,
            name=row.name,
            kind=CategoryKind(row.kind),
            parent_id=row.parent_id,
            archived_at=row.archived_at,
        )

    def save(self, category: Category) -> None:
        CategoryRow.objects.filter(id=category.id).update(
            name=category.name,
            parent_id=category.parent_id,
            archived_at=category.archived_at,
        )

    def has_children(self, category_id: UUID) -> bool:
        return CategoryRow.objects.filter(parent_id=category_id).exists()

    def name_taken(
        self,
        *,
        kind: CategoryKind,
        parent_id: UUID | None,
        name: str,
        exclude: UUID | None,
    ) -> bool:
        rows = CategoryRow.objects.filter(
            kind=kind.value, parent_id=parent_id, name__iexact=name
        )
        return rows.exclude(id=exclude).exists() if exclude else rows.exists()
