"""Net spending per category over any days, from the monthly totals (ADR 0010).

Whole months are read from the totals; only a month a range starts or ends inside
is read from its postings, per day. However many ranges are asked for at once,
that is two queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Q, Sum

from modules.transactions.domain.rollups import ALL_TIME, first_of_month
from modules.transactions.infrastructure.models import MonthlyTotal, Posting

# Spending is what the expense line gained, less refunds booked on the category.
SPENDING_LINES = ("expense", "income")

Key = tuple[UUID, str, date]  # category, currency, first of month or day


@dataclass(frozen=True)
class Spending:
    """What was spent per category: per whole month, and per day in the months a
    range only partly covers."""

    months: dict[Key, int]
    days: dict[Key, dict[date, int]]  # keyed by month, then by day
    daily_months: frozenset[date]

    def total(
        self, category_ids: Iterable[UUID], currency: str, start: date, end: date
    ) -> int:
        """Net spending in minor units on these days (both included)."""
        ids = set(category_ids)
        total = 0
        for month in _months(start, end):
            for category in ids:
                if month not in self.daily_months:
                    total += self.months.get((category, currency, month), 0)
                    continue
                by_day = self.days.get((category, currency, month), {})
                total += sum(a for day, a in by_day.items() if start <= day <= end)
        return total


def spending_by_category(
    category_ids: Iterable[UUID],
    currencies: Iterable[str],
    ranges: Iterable[tuple[date, date]],
) -> Spending:
    """The current tenant's spending in these categories and currencies, enough to
    answer `Spending.total` for any of `ranges`."""
    ids, codes, spans = list(set(category_ids)), list(set(currencies)), list(ranges)
    if not ids or not codes or not spans:
        return Spending({}, {}, frozenset())
    first = min(start for start, _ in spans)
    last = max(end for _, end in spans)
    partial = frozenset(
        first_of_month(day)
        for start, end in spans
        for day, edge in ((start, "start"), (end, "end"))
        if not _whole_month_edge(day, edge)
    )
    lines = Q(counterpart__in=SPENDING_LINES, category_id__in=ids, currency__in=codes)
    months = {
        (category, currency, month): int(amount)
        for category, currency, month, amount in MonthlyTotal.objects.filter(
            lines,
            month__gte=max(first_of_month(first), ALL_TIME + timedelta(days=1)),
            month__lte=first_of_month(last),
        )
        .exclude(month__in=partial)
        .values_list("category_id", "currency", "month", "amount_minor")
    }
    days: dict[Key, dict[date, int]] = defaultdict(dict)
    if partial:
        in_partial = Q()
        for month in partial:
            in_partial |= Q(occurred_on__gte=month, occurred_on__lt=_next_month(month))
        rows = (
            Posting.objects.filter(lines, in_partial)
            .values_list("category_id", "currency", "occurred_on")
            .annotate(amount=Sum("amount_minor"))
            .order_by()
        )
        for category, currency, day, amount in rows:
            days[(category, currency, first_of_month(day))][day] = int(amount)
    return Spending(months, dict(days), partial)


def _whole_month_edge(day: date, edge: str) -> bool:
    if edge == "start":
        return day.day == 1
    return (day + timedelta(days=1)).day == 1


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _months(start: date, end: date) -> list[date]:
    months, month = [], first_of_month(start)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return months
