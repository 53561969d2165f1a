"""Recompute every ledger invariant per tenant, in SQL, and report what is wrong.

This is the explicit, named cross-tenant path of the ledger: it reads all tenants
through `all_tenants` and reports discrepancies by tenant id, never by content.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, F, Sum

from modules.transactions.infrastructure import rollups
from modules.transactions.infrastructure.models import Entry, Posting


@dataclass(frozen=True, kw_only=True)
class Discrepancy:
    tenant_id: UUID
    rule: str
    subject: str


def find_discrepancies(tenant_id: UUID | None = None) -> list[Discrepancy]:
    """Every broken invariant, across all tenants or one."""
    postings = Posting.all_tenants.all()
    entries = Entry.all_tenants.all()
    if tenant_id is not None:
        postings = postings.filter(tenant_id=tenant_id)
        entries = entries.filter(tenant_id=tenant_id)
    return [
        *_unbalanced_entries(postings),
        *_entries_without_two_postings(entries),
        *_tenants_not_summing_to_zero(postings),
        *_currency_mismatches(postings),
        *_tenant_mismatches(postings),
        *_reversals_across_tenants(entries),
        *_rollups_off(tenant_id),
    ]


def _unbalanced_entries(postings: object) -> Iterator[Discrepancy]:
    rows = (
        postings.values("tenant_id", "entry_id", "currency")  # type: ignore[attr-defined]
        .annotate(total=Sum("amount_minor"))
        .exclude(total=0)
    )
    for row in rows:
        yield Discrepancy(
            tenant_id=row["tenant_id"],
            rule="entry_balances",
            subject=str(row["entry_id"]),
        )


def _entries_without_two_postings(entries: object) -> Iterator[Discrepancy]:
    rows = entries.annotate(lines=Count("postings")).filter(lines__lt=2)  # type: ignore[attr-defined]
    for row in rows.values("tenant_id", "id"):
        yield Discrepancy(
            tenant_id=row["tenant_id"], rule="two_postings", subject=str(row["id"])
        )


def _tenants_not_summing_to_zero(postings: object) -> Iterator[Discrepancy]:
    rows = (
        postings.values("tenant_id", "currency")  # type: ignore[attr-defined]
        .annotate(total=Sum("amount_minor"))
        .exclude(total=0)
    )
    for row in rows:
        yield Discrepancy(
            tenant_id=row["tenant_id"],
            rule="tenant_sums_to_zero",
            subject=row["currency"],
        )


def _currency_mismatches(postings: object) -> Iterator[Discrepancy]:
    rows = postings.filter(account__isnull=False).exclude(  # type: ignore[attr-defined]
        currency=F("account__currency")
    )
    for row in rows.values("tenant_id", "id"):
        yield Discrepancy(
            tenant_id=row["tenant_id"], rule="posting_currency", subject=str(row["id"])
        )


def _tenant_mismatches(postings: object) -> Iterator[Discrepancy]:
    foreign_account = postings.filter(account__isnull=False).exclude(  # type: ignore[attr-defined]
        tenant_id=F("account__tenant_id")
    )
    foreign_entry = postings.exclude(tenant_id=F("entry__tenant_id"))  # type: ignore[attr-defined]
    foreign_category = postings.filter(category__isnull=False).exclude(  # type: ignore[attr-defined]
        tenant_id=F("category__tenant_id")
    )
    for rows in (foreign_account, foreign_entry, foreign_category):
        for row in rows.values("tenant_id", "id"):
            yield Discrepancy(
                tenant_id=row["tenant_id"],
                rule="posting_tenant",
                subject=str(row["id"]),
            )


def _reversals_across_tenants(entries: object) -> Iterator[Discrepancy]:
    rows = entries.filter(reverses__isnull=False).exclude(  # type: ignore[attr-defined]
        tenant_id=F("reverses__tenant_id")
    )
    for row in rows.values("tenant_id", "id"):
        yield Discrepancy(
            tenant_id=row["tenant_id"], rule="reversal_tenant", subject=str(row["id"])
        )


def _rollups_off(tenant_id: UUID | None) -> Iterator[Discrepancy]:
    """The read model must equal the postings, line by line and month by month."""
    for row in rollups.mismatches(tenant_id):
        yield Discrepancy(
            tenant_id=row.tenant_id,
            rule="monthly_totals",
            subject=f"{row.line}/{row.currency}/{row.month}",
        )
