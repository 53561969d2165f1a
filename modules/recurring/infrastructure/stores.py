"""Django implementations of the recurring ports."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from modules.recurring.application.ports import OccurrenceRow
from modules.recurring.domain.bills import OccurrenceStatus
from modules.recurring.domain.rules import Rule, Template, TemplateKind
from modules.recurring.domain.schedules import Frequency, Schedule
from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import ConflictError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop


def to_domain(row: RecurringRule) -> Rule:
    return Rule(
        id=row.id,
        name=row.name,
        template=Template(
            kind=TemplateKind(row.kind),
            account_id=row.account_id,
            to_account_id=row.to_account_id,
            amount=Money.from_minor(row.amount_minor, row.currency),
            category_id=row.category_id,
            payee=row.payee,
            note=row.note,
        ),
        schedule=Schedule(
            frequency=Frequency(row.frequency),
            starts_on=row.starts_on,
            interval=row.interval,
            day_of_month=row.day_of_month,
            weekday=row.weekday,
            ends_on=row.ends_on,
            count=row.count,
        ),
        is_bill=row.is_bill,
        paused=row.paused,
        swept_through=row.swept_through,
    )


def _columns(rule: Rule, next_due_on: date | None) -> dict[str, object]:
    template, schedule = rule.template, rule.schedule
    return {
        "name": rule.name,
        "kind": template.kind.value,
        "account_id": template.account_id,
        "to_account_id": template.to_account_id,
        "amount_minor": template.amount.minor,
        "currency": template.amount.currency,
        "category_id": template.category_id,
        "payee": template.payee,
        "note": template.note,
        "frequency": schedule.frequency.value,
        "interval": schedule.interval,
        "day_of_month": schedule.day_of_month,
        "weekday": schedule.weekday,
        "starts_on": schedule.starts_on,
        "ends_on": schedule.ends_on,
        "count": schedule.count,
        "is_bill": rule.is_bill,
        "paused": rule.paused,
        "swept_through": rule.swept_through,
        "next_due_on": next_due_on,
    }


class DjangoRuleStore:
    def add(self, rule: Rule) -> None:
        RecurringRule.objects.create(
            id=rule.id, tenant_id=current_tenant_id(), **_columns(rule, None)
        )

    def get(self, rule_id: UUID) -> Rule | None:
        row = RecurringRule.objects.select_for_update().filter(id=rule_id).first()
        return to_domain(row) if row else None

    def save(self, rule: Rule, *, next_due_on: date | None) -> None:
        RecurringRule.objects.filter(id=rule.id).update(**_columns(rule, next_due_on))

    def delete(self, rule_id: UUID) -> None:
        RecurringRule.objects.filter(id=rule_id).delete()

    def link(self, old_id: UUID, new_id: UUID) -> None:
        RecurringRule.objects.filter(id=old_id).update(replaced_by_id=new_id)

    def due_ids(self, on_or_before: date) -> list[UUID]:
        return list(
            _due(RecurringRule.objects.all(), on_or_before).values_list("id", flat=True)
        )

    def lock_if_due(self, rule_id: UUID, on_or_before: date) -> Rule | None:
        rows = _due(RecurringRule.objects.select_for_update(), on_or_before)
        row = rows.filter(id=rule_id).first()
        return to_domain(row) if row else None

    def expected_bills(self) -> list[tuple[Rule, date]]:
        rows = Occurrence.objects.filter(
            status=OccurrenceStatus.EXPECTED, rule__is_bill=True
        ).select_related("rule")
        return [(to_domain(row.rule), row.on) for row in rows]

    def bill_rules(self) -> list[Rule]:
        rows = RecurringRule.objects.filter(is_bill=True, paused=False)
        return [to_domain(row) for row in rows]


def _due(rows: QuerySet[RecurringRule], on_or_before: date) -> QuerySet[RecurringRule]:
    return rows.filter(
        paused=False, next_due_on__isnull=False, next_due_on__lte=on_or_before
    ).order_by("next_due_on", "id")


class DjangoOccurrenceStore:
    def of(self, rule_id: UUID, dates: Iterable[date]) -> dict[date, OccurrenceRow]:
        wanted = list(dates)
        if not wanted:
            return {}
        rows = Occurrence.objects.filter(rule_id=rule_id, on__in=wanted)
        return {row.on: _row(row) for row in rows}

    def add_all(self, rows: Sequence[OccurrenceRow]) -> None:
        if not rows:
            return
        tenant_id = current_tenant_id()
        try:
            with transaction.atomic():
                Occurrence.objects.bulk_create(
                    [
                        Occurrence(
                            tenant_id=tenant_id,
                            rule_id=row.rule_id,
                            on=row.on,
                            status=row.status.value,
                            transaction_id=row.transaction_id,
                        )
                        for row in rows
                    ]
                )
        except IntegrityError:
            raise ConflictError(gettext_noop("That date is already handled.")) from None

    def set_status(
        self,
        rule_id: UUID,
        on: date,
        status: OccurrenceStatus,
        transaction_id: UUID | None = None,
    ) -> None:
        Occurrence.objects.filter(rule_id=rule_id, on=on).update(
            status=status.value, transaction_id=transaction_id
        )

    def overdue_unnoticed(self, today: date) -> list[tuple[Rule, date]]:
        rows = Occurrence.objects.filter(
            status=OccurrenceStatus.EXPECTED,
            on__lt=today,
            overdue_notified_at__isnull=True,
        ).select_related("rule")
        return [(to_domain(row.rule), row.on) for row in rows.select_for_update()]

    def mark_noticed(self, rule_id: UUID, on: date, at: datetime) -> None:
        Occurrence.objects.filter(rule_id=rule_id, on=on).update(overdue_notified_at=at)


def _row(row: Occurrence) -> OccurrenceRow:
    return OccurrenceRow(
        rule_id=row.rule_id,
        on=row.on,
        status=OccurrenceStatus(row.status),
        transaction_id=row.transaction_id,
    )
