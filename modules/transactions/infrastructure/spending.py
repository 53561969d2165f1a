"""Net spending per category over any days, from the monthly totals (ADR 0010).

Whole months are read from the totals; only the days of a month a range starts or
ends inside are read from the postings, per day. However many ranges are asked for
at once, that is two queries.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from uuid import UUID

from django.db.models import Q, Sum

from modules.transactions.domain.rollups import ALL_TIME, first_of_month
from modules.transactions.infrastructure.models import MonthlyTotal, Posting

# Spending is what the expense line gained, less refunds booked on the category.
SPENDING_LINES = ("expense", "income")

Key = tuple[UUID, str, date]  # category, currency, first of month


@dataclass(frozen=True)
class Spending:
    """What was spent per category: per month, and per day on the days where a
    range cuts a month."""

    months: dict[Key, int]
    days: dict[Key, dict[date, int]]  # keyed by month, then by day
    _running: dict[tuple[UUID, str], tuple[list[date], list[int]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def total(
        self, category_ids: Iterable[UUID], currency: str, start: date, end: date
    ) -> int:
        """Net spending in minor units on these days (both included); the range
        must be one of those the spending was read for."""
        total = 0
        cut = _cut_months(start, end)
        whole_from = start if start.day == 1 else _next_month(first_of_month(start))
        whole_to = first_of_month(end)
        if _month_end(whole_to) == end:
            whole_to = _next_month(whole_to)
        for category in set(category_ids):
            total += self._whole(category, currency, whole_from, whole_to)
            for first, last in cut:
                by_day = self.days.get((category, currency, first_of_month(first)), {})
                total += sum(a for d, a in by_day.items() if first <= d <= last)
        return total

    def _whole(self, category: UUID, currency: str, since: date, until: date) -> int:
        """The monthly totals of the months from `since` up to (not with) `until`."""
        if since >= until:
            return 0
        months, sums = self._running_sums(category, currency)
        return sums[bisect_left(months, until)] - sums[bisect_left(months, since)]

    def _running_sums(
        self, category: UUID, currency: str
    ) -> tuple[list[date], list[int]]:
        """Each line's months in order with the running sum before each (built once)."""
        if not self._running:
            grouped: dict[tuple[UUID, str], list[tuple[date, int]]] = defaultdict(list)
            for (c, cur, month), amount in self.months.items():
                grouped[(c, cur)].append((month, amount))
            for key, rows in grouped.items():
                rows.sort()
                sums = [0, *accumulate(amount for _, amount in rows)]
                self._running[key] = ([month for month, _ in rows], sums)
        return self._running.get((category, currency), ([], [0]))


def spending_by_category(
    category_ids: Iterable[UUID],
    currencies: Iterable[str],
    ranges: Iterable[tuple[date, date]],
) -> Spending:
    """The current tenant's spending in these categories and currencies, enough to
    answer `Spending.total` for any of `ranges`."""
    ids, codes, spans = list(set(category_ids)), list(set(currencies)), list(ranges)
    if not ids or not codes or not spans:
        return Spending({}, {})
    first = min(start for start, _ in spans)
    last = max(end for _, end in spans)
    lines = Q(counterpart__in=SPENDING_LINES, category_id__in=ids, currency__in=codes)
    months = {
        (category, currency, month): int(amount)
        for category, currency, month, amount in MonthlyTotal.objects.filter(
            lines,
            month__gte=max(first_of_month(first), ALL_TIME + timedelta(days=1)),
            month__lte=first_of_month(last),
        ).values_list("category_id", "currency", "month", "amount_minor")
    }
    days: dict[Key, dict[date, int]] = defaultdict(dict)
    windows = _merged(w for span in spans for w in _cut_months(*span))
    if windows:
        in_windows = Q()
        for start, end in windows:
            in_windows |= Q(occurred_on__range=(start, end))
        rows = (
            Posting.objects.filter(lines, in_windows)
            .values_list("category_id", "currency", "occurred_on")
            .annotate(amount=Sum("amount_minor"))
            .order_by()
        )
        for category, currency, day, amount in rows:
            days[(category, currency, first_of_month(day))][day] = int(amount)
    return Spending(months, dict(days))


def spending_by_day(
    category_ids: Iterable[UUID], *, start: date, end: date, not_in: str | None
) -> dict[tuple[UUID, str, date], int]:
    """Net spending per category, currency and day in these categories, in every
    currency but `not_in` (every one when None): what is converted at the rate of
    each day (ADR 0025). One query, over the postings of those currencies only."""
    ids = list(set(category_ids))
    if not ids or start > end:
        return {}
    rows = Posting.objects.filter(
        counterpart__in=SPENDING_LINES,
        category_id__in=ids,
        occurred_on__range=(start, end),
    )
    if not_in is not None:
        rows = rows.exclude(currency=not_in)
    found = (
        rows.values_list("category_id", "currency", "occurred_on")
        .annotate(amount=Sum("amount_minor"))
        .order_by()
    )
    return {
        (category, currency, day): int(amount)
        for category, currency, day, amount in found
        if amount
    }


def _cut_months(start: date, end: date) -> list[tuple[date, date]]:
    """The days of the range in the months it covers only in part (at most two)."""
    cut = []
    for month in {first_of_month(start), first_of_month(end)}:
        first, last = max(start, month), min(end, _month_end(month))
        if (first, last) != (month, _month_end(month)):
            cut.append((first, last))
    return cut


def _merged(windows: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1] + timedelta(days=1):
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def _month_end(month: date) -> date:
    return _next_month(month) - timedelta(days=1)
