"""Recurring rules: set up, change, pause, skip; the sweep that records what falls
due; bills that wait for the person or for a matching payment."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, timedelta
from uuid import UUID

import structlog

from contracts.events.models import BillOverdue
from modules.recurring.application.ports import OccurrenceRow, UnitOfWork
from modules.recurring.domain.bills import (
    MATCH_WINDOW_DAYS,
    ExpectedBill,
    OccurrenceStatus,
    Payment,
    best_match,
)
from modules.recurring.domain.rules import Rule, Template, TemplateKind
from modules.recurring.domain.schedules import Frequency, Schedule
from modules.shared.application.commands import UNCHANGED, Unchanged, given
from modules.shared.domain.errors import (
    ConflictError,
    DomainError,
    FieldProblem,
    NotFoundError,
    ValidationError,
)
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop

logger = structlog.get_logger("recurring")


@dataclass(frozen=True, kw_only=True)
class ScheduleInput:
    frequency: str
    starts_on: date
    interval: int = 1
    day_of_month: int | None = None
    weekday: int | None = None
    ends_on: date | None = None
    count: int | None = None

    def build(self) -> Schedule:
        try:
            frequency = Frequency(self.frequency)
        except ValueError:
            raise ValidationError.for_field(
                "frequency",
                gettext_noop("Choose daily, weekly, monthly or yearly."),
                code="invalid_choice",
            ) from None
        return Schedule(
            frequency=frequency,
            starts_on=self.starts_on,
            interval=self.interval,
            day_of_month=self.day_of_month,
            weekday=self.weekday,
            ends_on=self.ends_on,
            count=self.count,
        )


@dataclass(frozen=True, kw_only=True)
class TemplateInput:
    kind: str
    account_id: UUID
    amount: str
    to_account_id: UUID | None = None
    category_id: UUID | None = None
    payee: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class CreateRule:
    name: str
    template: TemplateInput
    schedule: ScheduleInput
    is_bill: bool = False


@dataclass(frozen=True, kw_only=True)
class UpdateRule:
    """What can change in place: it only ever applies to dates not yet handled."""

    rule_id: UUID
    name: str | Unchanged = UNCHANGED
    amount: str | Unchanged = UNCHANGED
    category_id: UUID | Unchanged | None = UNCHANGED
    payee: str | Unchanged = UNCHANGED
    note: str | Unchanged = UNCHANGED


@dataclass(frozen=True, kw_only=True)
class ChangeFrom:
    """From `on` (today or later) the rule goes on with these changes; the dates
    before stay with the old rule, which ends the day before."""

    rule_id: UUID
    on: date
    amount: str | Unchanged = UNCHANGED
    frequency: str | Unchanged = UNCHANGED
    interval: int | Unchanged = UNCHANGED
    day_of_month: int | Unchanged | None = UNCHANGED
    weekday: int | Unchanged | None = UNCHANGED


@dataclass(frozen=True, kw_only=True)
class SweepResult:
    recorded: int = 0
    expected: int = 0
    overdue: int = 0
    by_others: int = 0  # recorded by the jobs of other modules (ADR 0025)


def _template(uow: UnitOfWork, given_template: TemplateInput) -> Template:
    wanted = {"account": given_template.account_id}
    if given_template.to_account_id is not None:
        wanted["to_account"] = given_template.to_account_id
    found = uow.ledger.accounts(wanted.values())
    missing = [name for name, account_id in wanted.items() if account_id not in found]
    if missing:
        message = gettext_noop("No such account.")
        raise ValidationError(
            message,
            details=tuple(
                FieldProblem(field=name, code="not_found", message=message)
                for name in missing
            ),
        )
    try:
        kind = TemplateKind(given_template.kind)
    except ValueError:
        raise ValidationError.for_field(
            "type",
            gettext_noop("Choose inflow, outflow or transfer."),
            code="invalid_choice",
        ) from None
    currency = found[given_template.account_id].currency
    return Template(
        kind=kind,
        account_id=given_template.account_id,
        to_account_id=given_template.to_account_id,
        amount=_amount(given_template.amount, currency),
        category_id=given_template.category_id,
        payee=given_template.payee.strip(),
        note=given_template.note.strip(),
    )


def _amount(text: str, currency: str) -> Money:
    try:
        return Money.parse(text, currency)
    except ValidationError as error:
        raise ValidationError.for_field("amount", error.message) from None


def create_rule(*, uow: UnitOfWork, command: CreateRule) -> UUID:
    with uow:
        rule = Rule(
            id=uuid.uuid4(),
            name=command.name.strip(),
            template=_template(uow, command.template),
            schedule=command.schedule.build(),
            is_bill=command.is_bill,
        )
        uow.rules.add(rule)
        uow.rules.save(rule, next_due_on=rule.next_due())
    return rule.id


def _get(uow: UnitOfWork, rule_id: UUID) -> Rule:
    rule = uow.rules.get(rule_id)
    if rule is None:
        raise NotFoundError(gettext_noop("No such recurring transaction."))
    return rule


def update_rule(*, uow: UnitOfWork, command: UpdateRule) -> None:
    with uow:
        rule = _get(uow, command.rule_id)
        template = rule.template
        template = replace(
            template,
            amount=(
                template.amount
                if command.amount is UNCHANGED
                else _amount(command.amount, template.amount.currency)
            ),
            category_id=given(command.category_id, template.category_id),
            payee=given(command.payee, template.payee).strip(),
            note=given(command.note, template.note).strip(),
        )
        rule = replace(
            rule, name=given(command.name, rule.name).strip(), template=template
        )
        uow.rules.save(rule, next_due_on=rule.next_due())


def delete_rule(*, uow: UnitOfWork, rule_id: UUID) -> None:
    """The rule and its plan go; what it recorded stays in the ledger."""
    with uow:
        _get(uow, rule_id)
        uow.rules.delete(rule_id)


def pause_rule(*, uow: UnitOfWork, rule_id: UUID) -> None:
    with uow:
        rule = _get(uow, rule_id).pause()
        uow.rules.save(rule, next_due_on=None)


def resume_rule(*, uow: UnitOfWork, rule_id: UUID) -> None:
    with uow:
        rule = _get(uow, rule_id).resume(uow.owner_today())
        uow.rules.save(rule, next_due_on=rule.next_due())


def skip_occurrence(*, uow: UnitOfWork, rule_id: UUID, on: date) -> None:
    """Leave one date out: not yet handled, or a bill still expected."""
    with uow:
        rule = _get(uow, rule_id)
        if not rule.schedule.occurs_on(on):
            raise ValidationError.for_field(
                "date",
                gettext_noop("The rule has no occurrence on that date."),
                code="not_an_occurrence",
            )
        existing = uow.occurrences.of(rule_id, [on]).get(on)
        if existing is None:
            if on < rule.first_unhandled():
                raise ConflictError(gettext_noop("That date is already handled."))
            uow.occurrences.add_all(
                [OccurrenceRow(rule_id=rule_id, on=on, status=OccurrenceStatus.SKIPPED)]
            )
        elif existing.status is OccurrenceStatus.EXPECTED:
            uow.occurrences.set_status(rule_id, on, OccurrenceStatus.SKIPPED)
        elif existing.status is not OccurrenceStatus.SKIPPED:
            raise ConflictError(gettext_noop("That date is already recorded."))


def change_from(*, uow: UnitOfWork, command: ChangeFrom) -> UUID:
    """Split the rule at `on`: returns the new rule's id (the old one's when the
    change starts with the rule itself, which is then changed in place)."""
    with uow:
        rule = _get(uow, command.rule_id)
        if command.on < max(uow.owner_today(), rule.first_unhandled()):
            raise ValidationError.for_field(
                "from_date",
                gettext_noop("Change a rule from today or a later date."),
            )
        old, kept = rule.schedule.split(command.on)
        rhythm = (
            command.frequency,
            command.interval,
            command.day_of_month,
            command.weekday,
        )
        retimed = any(value is not UNCHANGED for value in rhythm)
        other_frequency = command.frequency is not UNCHANGED
        schedule = ScheduleInput(
            frequency=given(command.frequency, kept.frequency.value),
            # a new rhythm starts on the day asked; the same one keeps its next date
            starts_on=max(command.on, rule.schedule.starts_on)
            if retimed
            else kept.starts_on,
            interval=given(command.interval, kept.interval),
            day_of_month=given(
                command.day_of_month, None if other_frequency else kept.day_of_month
            ),
            weekday=given(command.weekday, None if other_frequency else kept.weekday),
            ends_on=kept.ends_on,
            count=kept.count,
        ).build()
        template = rule.template
        if command.amount is not UNCHANGED:
            template = replace(
                template, amount=_amount(command.amount, template.amount.currency)
            )
        if old is None:
            changed = replace(rule, schedule=schedule, template=template)
            uow.rules.save(changed, next_due_on=changed.next_due())
            return rule.id
        ended = replace(rule, schedule=old)
        uow.rules.save(ended, next_due_on=ended.next_due())
        new = replace(
            rule,
            id=uuid.uuid4(),
            schedule=schedule,
            template=template,
            swept_through=None,
            paused=rule.paused,
        )
        uow.rules.add(new)
        uow.rules.save(new, next_due_on=new.next_due())
        uow.rules.link(rule.id, new.id)
    return new.id


def confirm_bill(*, uow: UnitOfWork, rule_id: UUID, on: date) -> UUID:
    """The person says the bill was paid: record it as planned, on its due date."""
    with uow:
        rule = _get(uow, rule_id)
        row = uow.occurrences.of(rule_id, [on]).get(on)
        if not rule.is_bill or row is None:
            raise NotFoundError(gettext_noop("No such bill."))
        if row.status is not OccurrenceStatus.EXPECTED:
            raise ConflictError(gettext_noop("That bill is already paid or skipped."))
        (transaction_id,) = uow.ledger.record(rule.template, [on])
        uow.occurrences.set_status(rule_id, on, OccurrenceStatus.PAID, transaction_id)
    return transaction_id


def sweep_tenant(*, uow: UnitOfWork) -> SweepResult:
    """Handle every date due by today in the owner's time zone, each exactly once:
    record the transaction, or for a bill expect it; then tell about overdue bills.

    Each rule goes in its own transaction, locked and re-read as still due, and each
    date's occurrence row is unique, so a second worker (or a retry) finds nothing
    left to do. A rule whose transaction the ledger refuses (an archived account, say)
    stays as it is and is logged; the others go on.
    """
    recorded = expected = 0
    today = uow.owner_today()
    for rule_id in uow.rules.due_ids(today):
        try:
            with uow:
                rule = uow.rules.lock_if_due(rule_id, today)
                added = 0 if rule is None else _handle_due(uow, rule, today)
        except DomainError as error:
            logger.warning(
                "recurring.sweep_refused", rule_id=str(rule_id), code=error.code
            )
            continue
        if rule is not None and rule.is_bill:
            expected += added
        else:
            recorded += added
    with uow:
        overdue = _announce_overdue(uow, today)
    return SweepResult(recorded=recorded, expected=expected, overdue=overdue)


def _handle_due(uow: UnitOfWork, rule: Rule, today: date) -> int:
    dates = rule.due_dates(today)
    known = uow.occurrences.of(rule.id, dates)
    todo = [on for on in dates if on not in known]
    if rule.is_bill:
        rows = [
            OccurrenceRow(rule_id=rule.id, on=on, status=OccurrenceStatus.EXPECTED)
            for on in todo
        ]
    else:
        ids = [] if not todo else uow.ledger.record(rule.template, todo)
        rows = [
            OccurrenceRow(
                rule_id=rule.id,
                on=on,
                status=OccurrenceStatus.RECORDED,
                transaction_id=transaction_id,
            )
            for on, transaction_id in zip(todo, ids, strict=True)
        ]
    uow.occurrences.add_all(rows)
    swept = rule.swept(today)
    uow.rules.save(swept, next_due_on=swept.next_due())
    return len(rows)


def _announce_overdue(uow: UnitOfWork, today: date) -> int:
    found = uow.occurrences.overdue_unnoticed(today)
    for rule, on in found:
        template = rule.template
        uow.events.append(
            BillOverdue(
                rule_id=rule.id,
                name=rule.name,
                due_on=on,
                amount=template.amount.to_string(),
                currency=template.amount.currency,
                account_id=template.account_id,
                payee=template.payee,
            )
        )
        uow.occurrences.mark_noticed(rule.id, on, uow.clock.now())
    return len(found)


def match_payment(*, uow: UnitOfWork, payment: Payment, transaction_id: UUID) -> bool:
    """A money-out transaction that pays a bill marks it paid: a bill already
    expected, or one due within the next few days that the sweep has not reached."""
    window = timedelta(days=MATCH_WINDOW_DAYS)
    with uow:
        candidates: dict[tuple[UUID, date], tuple[ExpectedBill, bool]] = {}
        for rule, on in uow.rules.expected_bills():
            candidates[(rule.id, on)] = (_expected(rule, on), True)
        for rule in uow.rules.bill_rules():
            start = max(rule.first_unhandled(), payment.on - window)
            dates = list(rule.schedule.dates(start, payment.on + window))
            handled = uow.occurrences.of(rule.id, dates)  # paid or skipped already
            for on in dates:
                if on not in handled:
                    candidates.setdefault((rule.id, on), (_expected(rule, on), False))
        found = best_match(payment, [bill for bill, _ in candidates.values()])
        if found is None:
            return False
        (rule_id, on), (_, waiting) = next(
            (key, value) for key, value in candidates.items() if value[0] is found
        )
        if waiting:
            uow.occurrences.set_status(
                rule_id, on, OccurrenceStatus.PAID, transaction_id
            )
        else:
            uow.occurrences.add_all(
                [
                    OccurrenceRow(
                        rule_id=rule_id,
                        on=on,
                        status=OccurrenceStatus.PAID,
                        transaction_id=transaction_id,
                    )
                ]
            )
    return True


def _expected(rule: Rule, on: date) -> ExpectedBill:
    return ExpectedBill(
        account_id=rule.template.account_id,
        amount_minor=rule.template.amount.minor,
        currency=rule.template.amount.currency,
        payee=rule.template.payee,
        due_on=on,
    )
