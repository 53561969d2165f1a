"""The monthly totals table: written with each entry, read for balances and reports,
checked against the postings and rebuilt from them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple
from uuid import UUID

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from modules.shared.domain.money import Money
from modules.transactions.domain.rollups import (
    ALL_TIME,
    LineMonth,
    Total,
    first_of_month,
    line_key,
)
from modules.transactions.infrastructure.models import MonthlyTotal, Posting

COLUMNS = (
    "tenant_id",
    "line",
    "month",
    "currency",
    "account_id",
    "counterpart",
    "category_id",
    "amount_minor",
    "postings",
)


def add(tenant_id: UUID, totals: dict[LineMonth, Total]) -> dict[UUID, int]:
    """One upsert for every line an entry (or a batch of entries) touches; returns
    the new balance of each account touched, in minor units.

    Rows are written in key order, so two writers lock shared rows in the same order;
    a balance returned here already counts every write committed before this one.
    """
    if not totals:
        return {}
    table = MonthlyTotal._meta.db_table
    row = "(" + ", ".join(["%s"] * len(COLUMNS)) + ")"
    params: list[object] = []
    for key, total in totals.items():
        params += _row(tenant_id, key, total)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(COLUMNS)}) "  # noqa: S608
            f"VALUES {', '.join([row] * len(totals))} "
            f"ON CONFLICT (tenant_id, line, currency, month) DO UPDATE SET "
            f"amount_minor = {table}.amount_minor + excluded.amount_minor, "
            f"postings = {table}.postings + excluded.postings "
            f"RETURNING account_id, month, amount_minor",
            params,
        )
        returned = cursor.fetchall()
    return {
        _as_uuid(account_id): int(amount)
        for account_id, month, amount in returned
        if account_id is not None and _as_date(month) == ALL_TIME
    }


def _row(tenant_id: UUID, key: LineMonth, total: Total) -> list[object]:
    return [
        _uuid(tenant_id),
        key.line,
        key.month,
        key.currency,
        _uuid(key.account_id),
        key.counterpart.value if key.counterpart else "",
        _uuid(key.category_id),
        total.amount_minor,
        total.postings,
    ]


def _as_uuid(value: object) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _uuid(value: UUID | None) -> object:
    """UUIDs as each database stores them (SQLite: 32 hex characters)."""
    if value is None or connection.vendor != "sqlite":
        return value
    return value.hex


def account_balances(account_ids: Iterable[UUID]) -> dict[UUID, int]:
    """Balance of each account in minor units: its all-time row."""
    rows = MonthlyTotal.objects.filter(
        account_id__in=list(account_ids), month=ALL_TIME
    ).values_list("account_id", "amount_minor")
    return {account_id: int(amount) for account_id, amount in rows}


def account_balance(account_id: UUID, currency: str) -> Money:
    # Locked until commit: a balance-reading write (an adjustment) and any other
    # write to the account, which upserts this row, take their turns.
    total = (
        MonthlyTotal.objects.select_for_update()
        .filter(account_id=account_id, currency=currency, month=ALL_TIME)
        .values_list("amount_minor", flat=True)
        .first()
    )
    return Money.from_minor(int(total or 0), currency)


class AccountMonthTotal(NamedTuple):
    account_id: UUID
    month: date
    amount_minor: int


class LineMonthTotal(NamedTuple):
    counterpart: str
    category_id: UUID | None
    currency: str
    month: date
    amount_minor: int


def account_month_totals(*, until: date) -> list[AccountMonthTotal]:
    """Each account's signed total per month up to `until`'s month: one row per
    account and month, so a balance on any month end is a running sum."""
    rows = MonthlyTotal.objects.filter(
        account_id__isnull=False, month__gt=ALL_TIME, month__lte=first_of_month(until)
    ).values_list("account_id", "month", "amount_minor")
    return [AccountMonthTotal(a, m, int(amount)) for a, m, amount in rows]


def line_month_totals(*, since: date, until: date) -> list[LineMonthTotal]:
    """The counterpart lines' totals (income, expense by category; opening balances,
    adjustments, exchange, revaluation) of the months from `since` to `until`."""
    rows = MonthlyTotal.objects.filter(
        account_id__isnull=True,
        month__gte=max(first_of_month(since), ALL_TIME + timedelta(days=1)),
        month__lte=first_of_month(until),
    ).values_list("counterpart", "category_id", "currency", "month", "amount_minor")
    return [LineMonthTotal(c, cat, cur, m, int(a)) for c, cat, cur, m, a in rows]


# --- Checked and rebuilt from the postings ------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RollupMismatch:
    tenant_id: UUID
    line: str
    currency: str
    month: str


def expected_rows(tenant_id: UUID | None = None) -> dict[tuple[object, ...], Total]:
    """The monthly totals the postings say there should be, keyed like the table."""
    postings = Posting.all_tenants.all()
    if tenant_id is not None:
        postings = postings.filter(tenant_id=tenant_id)
    grouped = (
        postings.annotate(month=TruncMonth("occurred_on"))
        .values(
            "tenant_id", "account_id", "counterpart", "category_id", "currency", "month"
        )
        .annotate(total=Sum("amount_minor"), count=Count("id"))
        .order_by()
    )
    expected: dict[tuple[object, ...], Total] = defaultdict(lambda: Total(0, 0))
    for row in grouped:
        line = line_key(
            account_id=row["account_id"],
            counterpart=row["counterpart"],
            category_id=row["category_id"],
        )
        total = Total(int(row["total"]), int(row["count"]))
        months = [row["month"], ALL_TIME] if row["account_id"] else [row["month"]]
        for month in months:
            key = (row["tenant_id"], line, row["currency"], month)
            expected[key] = expected[key] + total
    return dict(expected)


def stored_rows(tenant_id: UUID | None = None) -> dict[tuple[object, ...], Total]:
    rows = MonthlyTotal.all_tenants.all()
    if tenant_id is not None:
        rows = rows.filter(tenant_id=tenant_id)
    return {
        (row.tenant_id, row.line, row.currency, row.month): Total(
            row.amount_minor, row.postings
        )
        for row in rows.only(
            "tenant_id", "line", "currency", "month", "amount_minor", "postings"
        )
        if row.postings or row.amount_minor
    }


def mismatches(tenant_id: UUID | None = None) -> Iterator[RollupMismatch]:
    expected, stored = expected_rows(tenant_id), stored_rows(tenant_id)
    for key in sorted(
        expected.keys() ^ stored.keys()
        | {k for k in expected.keys() & stored.keys() if expected[k] != stored[k]},
        key=str,
    ):
        tenant, line, currency, month = key
        yield RollupMismatch(
            tenant_id=tenant,  # type: ignore[arg-type]
            line=str(line),
            currency=str(currency),
            month="all" if month == ALL_TIME else f"{month:%Y-%m}",
        )


def rebuild(tenant_id: UUID | None = None) -> int:
    """Replace the monthly totals with sums of the postings; returns the rows written.
    Every tenant with postings or totals is visited, so stray rows go too.

    Run per tenant in one transaction, so a reader sees the old rows or the new ones.
    """
    tenants = (
        [tenant_id]
        if tenant_id is not None
        else sorted(
            {
                *Posting.all_tenants.values_list("tenant_id", flat=True).distinct(),
                *MonthlyTotal.all_tenants.values_list(
                    "tenant_id", flat=True
                ).distinct(),
            },
            key=str,
        )
    )
    written = 0
    for tenant in tenants:
        with transaction.atomic():
            MonthlyTotal.all_tenants.filter(tenant_id=tenant).delete()
            rows = [
                MonthlyTotal(
                    tenant_id=key[0],
                    line=key[1],
                    currency=key[2],
                    month=key[3],
                    amount_minor=total.amount_minor,
                    postings=total.postings,
                    **_dimensions(str(key[1])),
                )
                for key, total in expected_rows(tenant).items()
            ]
            MonthlyTotal.all_tenants.bulk_create(rows, batch_size=1000)
            written += len(rows)
    return written


def _dimensions(line: str) -> dict[str, object]:
    kind, _, ident = line.partition(":")
    if kind == "account":
        return {"account_id": UUID(ident)}
    return {"counterpart": kind, "category_id": UUID(ident) if ident else None}
