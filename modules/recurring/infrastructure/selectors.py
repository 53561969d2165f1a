"""Read models of recurring rules for the API and the web: rules, their occurrences
(handled ones from the table, upcoming ones from the schedule), bills, and the
cash-flow forecast. A fixed number of queries whatever the number of rules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils import timezone

from modules.accounts import api as accounts
from modules.identity import api as identity
from modules.recurring.domain.bills import BillState, OccurrenceStatus, bill_state
from modules.recurring.domain.forecasts import (
    Forecast,
    InBase,
    carry_forward,
    combine,
    in_base,
)
from modules.recurring.domain.rules import Rule
from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.recurring.infrastructure.stores import to_domain
from modules.recurring.infrastructure.uow import owner_zone
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.money import Money, sum_by_currency
from modules.shared.domain.text import gettext_noop

UPCOMING_DAYS = 90
HANDLED = (OccurrenceStatus.RECORDED, OccurrenceStatus.SKIPPED, OccurrenceStatus.PAID)


def owner_today() -> date:
    return timezone.now().astimezone(owner_zone()).date()


def rule_rows() -> QuerySet[RecurringRule]:
    return RecurringRule.objects.all()


def rule_row(rule_id: UUID) -> RecurringRule:
    row = RecurringRule.objects.filter(id=rule_id).first()
    if row is None:
        raise NotFoundError(gettext_noop("No such recurring transaction."))
    return row


@dataclass(frozen=True, kw_only=True)
class OccurrenceView:
    rule: Rule
    on: date
    status: str  # upcoming, recorded, skipped, overdue (API.md); paid for bills
    transaction_id: UUID | None = None

    @property
    def amount(self) -> Money:
        return self.rule.template.amount


def next_dates(rows: Iterable[RecurringRule], today: date) -> dict[UUID, date | None]:
    """The next date each rule will record or expect (skips left out)."""
    rules = {row.id: to_domain(row) for row in rows}
    skipped = _handled_from(rules, today)
    found: dict[UUID, date | None] = {}
    for rule_id, rule in rules.items():
        found[rule_id] = None
        if rule.paused:
            continue
        start = max(today, rule.first_unhandled())
        for on in rule.schedule.dates(start, today + timedelta(days=3660)):  # lazily
            if (rule_id, on) not in skipped:
                found[rule_id] = on
                break
    return found


def _handled_from(rules: dict[UUID, Rule], start: date) -> set[tuple[UUID, date]]:
    rows = Occurrence.objects.filter(rule_id__in=list(rules), on__gte=start)
    return set(
        rows.exclude(status=OccurrenceStatus.EXPECTED).values_list("rule_id", "on")
    )


def occurrences(
    rule_ids: Iterable[UUID] | None,
    *,
    start: date,
    end: date,
    today: date,
) -> list[OccurrenceView]:
    """Each rule's dates between `start` and `end`: what happened to the handled
    ones, and the schedule's for the rest (upcoming; none while paused)."""
    rows = (
        rule_rows() if rule_ids is None else rule_rows().filter(id__in=list(rule_ids))
    )
    rules = {row.id: to_domain(row) for row in rows}
    stored = {
        (o.rule_id, o.on): o
        for o in Occurrence.objects.filter(
            rule_id__in=list(rules), on__gte=start, on__lte=end
        )
    }
    found: list[OccurrenceView] = []
    for (rule_id, on), row in stored.items():
        rule = rules[rule_id]
        found.append(
            OccurrenceView(
                rule=rule,
                on=on,
                status=_status(OccurrenceStatus(row.status), on, today, rule),
                transaction_id=row.transaction_id,
            )
        )
    for rule_id, rule in rules.items():
        if rule.paused:
            continue
        for on in rule.schedule.dates(max(start, rule.first_unhandled()), end):
            if (rule_id, on) not in stored:
                found.append(
                    OccurrenceView(
                        rule=rule,
                        on=on,
                        status="overdue" if rule.is_bill and on < today else "upcoming",
                    )
                )
    return sorted(found, key=lambda o: (o.on, o.rule.name, o.rule.id))


def _status(status: OccurrenceStatus, on: date, today: date, rule: Rule) -> str:
    if not rule.is_bill:
        return status.value
    return bill_state(status, on, today).value


@dataclass(frozen=True, kw_only=True)
class BillMonth:
    month_start: date
    bills: list[OccurrenceView]

    def totals(self, state: BillState) -> dict[str, Money]:
        return sum_by_currency(b.amount for b in self.bills if b.status == state.value)

    @property
    def due(self) -> dict[str, Money]:
        return sum_by_currency(b.amount for b in self.bills if b.status != "skipped")


def bills_of_month(today: date, month_start: date | None = None) -> BillMonth:
    start = month_start or today.replace(day=1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    bill_ids = rule_rows().filter(is_bill=True).values_list("id", flat=True)
    return BillMonth(
        month_start=start,
        bills=occurrences(list(bill_ids), start=start, end=end, today=today),
    )


def overdue_bills(today: date) -> list[OccurrenceView]:
    """Every unpaid bill before today, whatever its month."""
    bill_ids = list(rule_rows().filter(is_bill=True).values_list("id", flat=True))
    oldest = (
        Occurrence.objects.filter(
            rule_id__in=bill_ids, status=OccurrenceStatus.EXPECTED
        )
        .order_by("on")
        .values_list("on", flat=True)
        .first()
    )
    if oldest is None:
        return []
    return [
        o
        for o in occurrences(bill_ids, start=oldest, end=today, today=today)
        if o.status == BillState.OVERDUE.value
    ]


# --- the forecast ----------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AccountForecast:
    account: accounts.AccountView
    forecast: Forecast


@dataclass(frozen=True, kw_only=True)
class ForecastReport:
    today: date
    days: int
    accounts: list[AccountForecast]
    by_currency: list[Forecast]
    in_base: InBase | None = None  # all accounts only


def forecast(
    *,
    today: date,
    days: int,
    account_id: UUID | None = None,
    buffer: str | None = None,
) -> ForecastReport:
    """Each active account's balance today (the ledger's read model) carried forward
    by the rules' and bills' dates still to come; all accounts per currency."""
    views, _ = accounts.active_accounts_summary()
    if account_id is not None:
        views = [v for v in views if v.row.id == account_id]
        if not views:
            raise NotFoundError(gettext_noop("No such account."))
    end = today + timedelta(days=days)
    pending: dict[UUID, tuple[Rule, list[date]]] = {}
    for rule, on in _pending_dates(end):
        pending.setdefault(rule.id, (rule, []))[1].append(max(on, today))
    touching: dict[UUID, list[tuple[Rule, list[date]]]] = defaultdict(list)
    for rule, dates in pending.values():
        touching[rule.template.account_id].append((rule, dates))
        if rule.template.to_account_id is not None:
            touching[rule.template.to_account_id].append((rule, dates))
    per_account = []
    for view in views:
        changes: dict[date, int] = defaultdict(int)
        for rule, dates in touching.get(view.row.id, []):
            effect = rule.template.effect_on(view.row.id, liability=view.is_liability)
            if effect is not None:  # one Money per rule, not per date
                delta = effect.minor
                for on in dates:
                    changes[on] += delta
        floor = None if buffer is None else Money.parse(buffer, view.row.currency)
        per_account.append(
            AccountForecast(
                account=view,
                forecast=carry_forward(
                    opening=view.balance,
                    today=today,
                    days=days,
                    changes=changes,
                    buffer=floor,
                ),
            )
        )
    assets = [f.forecast for f in per_account if not f.account.is_liability]
    groups = combine(
        assets,
        buffers=(
            None
            if buffer is None
            else {f.currency: Money.parse(buffer, f.currency) for f in assets}
        ),
    )
    return ForecastReport(
        today=today,
        days=days,
        accounts=per_account,
        by_currency=groups,
        in_base=None if account_id is not None else _in_base(groups, end, buffer),
    )


def _in_base(groups: list[Forecast], end: date, buffer: str | None) -> InBase:
    """All accounts in the owner's base currency; rates are read only when a
    currency is not the base one."""
    base = identity.owner_settings().base_currency
    others = {f.currency for f in groups} - {base}
    rates = (
        accounts.rate_book([*others, base], since=groups[0].start, until=end)
        if others
        else None
    )
    floor = None if buffer is None else Money.parse(buffer, base)
    return in_base(groups, base=base, rates=rates, buffer=floor)


def _pending_dates(end: date) -> list[tuple[Rule, date]]:
    """Every active rule's dates still to come up to `end`: not yet handled (a date
    the sweep has not reached yet counts, it will be recorded), and bills still
    expected (an overdue bill is still to be paid)."""
    rules = {row.id: to_domain(row) for row in rule_rows().filter(paused=False)}
    if not rules:
        return []
    earliest = min(rule.first_unhandled() for rule in rules.values())
    rows: dict[UUID, dict[date, OccurrenceStatus]] = defaultdict(dict)
    stored = Occurrence.objects.filter(
        Q(status=OccurrenceStatus.EXPECTED) | Q(on__gte=earliest),
        rule_id__in=list(rules),
        on__lte=end,
    )
    for row in stored:
        rows[row.rule_id][row.on] = OccurrenceStatus(row.status)
    found: list[tuple[Rule, date]] = []
    for rule_id, rule in rules.items():
        known = rows[rule_id]
        found += [
            (rule, on) for on, s in known.items() if s is OccurrenceStatus.EXPECTED
        ]
        found += [
            (rule, on)
            for on in rule.schedule.dates(rule.first_unhandled(), end)
            if on not in known
        ]
    return found
