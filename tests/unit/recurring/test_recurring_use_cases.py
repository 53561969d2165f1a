"""The recurring use cases against in-memory fakes: the sweep records each due date
once and expects bills, skips and changes from a date, bills paid by a payment."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from uuid import UUID

import pytest

from contracts.events.models import BillOverdue
from modules.recurring.application import use_cases
from modules.recurring.application.ports import AccountFacts, OccurrenceRow
from modules.recurring.domain.bills import OccurrenceStatus, Payment
from modules.recurring.domain.rules import Rule, Template
from modules.shared.domain.errors import ConflictError, ValidationError
from tests.unit.fakes import FakeOutbox, FakeTransaction, FixedClock

TODAY = date(2027, 1, 31)
ACCOUNT = uuid.uuid4()


@dataclass
class FakeRules:
    rows: dict[UUID, Rule] = field(default_factory=dict)
    next_due: dict[UUID, date | None] = field(default_factory=dict)
    links: dict[UUID, UUID] = field(default_factory=dict)

    def add(self, rule: Rule) -> None:
        self.rows[rule.id] = rule

    def get(self, rule_id: UUID) -> Rule | None:
        return self.rows.get(rule_id)

    def save(self, rule: Rule, *, next_due_on: date | None) -> None:
        self.rows[rule.id] = rule
        self.next_due[rule.id] = next_due_on

    def delete(self, rule_id: UUID) -> None:
        del self.rows[rule_id]

    def link(self, old_id: UUID, new_id: UUID) -> None:
        self.links[old_id] = new_id

    def due_ids(self, on_or_before: date) -> list[UUID]:
        return [
            rule_id
            for rule_id, due in self.next_due.items()
            if due is not None and due <= on_or_before and not self.rows[rule_id].paused
        ]

    def lock_if_due(self, rule_id: UUID, on_or_before: date) -> Rule | None:
        return self.rows[rule_id] if rule_id in self.due_ids(on_or_before) else None

    expected: dict[tuple[UUID, date], OccurrenceRow] = field(default_factory=dict)

    def expected_bills(self) -> list[tuple[Rule, date]]:
        return [
            (self.rows[rule_id], on)
            for (rule_id, on), row in self.expected.items()
            if row.status is OccurrenceStatus.EXPECTED
        ]

    def bill_rules(self) -> list[Rule]:
        return [r for r in self.rows.values() if r.is_bill and not r.paused]


@dataclass
class FakeOccurrences:
    rows: dict[tuple[UUID, date], OccurrenceRow] = field(default_factory=dict)
    noticed: set[tuple[UUID, date]] = field(default_factory=set)
    rules: FakeRules | None = None

    def of(self, rule_id: UUID, dates: Iterable[date]) -> dict[date, OccurrenceRow]:
        return {d: self.rows[(rule_id, d)] for d in dates if (rule_id, d) in self.rows}

    def add_all(self, rows: Sequence[OccurrenceRow]) -> None:
        for row in rows:
            if (row.rule_id, row.on) in self.rows:
                raise ConflictError("That date is already handled.")
            self.rows[(row.rule_id, row.on)] = row

    def set_status(
        self,
        rule_id: UUID,
        on: date,
        status: OccurrenceStatus,
        transaction_id: UUID | None = None,
    ) -> None:
        row = self.rows[(rule_id, on)]
        self.rows[(rule_id, on)] = replace(
            row, status=status, transaction_id=transaction_id
        )

    def overdue_unnoticed(self, today: date) -> list[tuple[Rule, date]]:
        assert self.rules is not None
        return [
            (self.rules.rows[rule_id], on)
            for (rule_id, on), row in self.rows.items()
            if row.status is OccurrenceStatus.EXPECTED
            and on < today
            and (rule_id, on) not in self.noticed
        ]

    def mark_noticed(self, rule_id: UUID, on: date, at: datetime) -> None:
        self.noticed.add((rule_id, on))


@dataclass
class FakeLedger:
    recorded: list[tuple[Template, date, UUID]] = field(default_factory=list)

    def accounts(self, account_ids: Iterable[UUID]) -> dict[UUID, AccountFacts]:
        known = AccountFacts(
            currency="EUR", is_liability=False, archived=False, name="A"
        )
        return {a: known for a in account_ids if a == ACCOUNT}

    def record(self, template: Template, dates: Sequence[date]) -> list[UUID]:
        ids = [uuid.uuid4() for _ in dates]
        self.recorded += [(template, on, i) for on, i in zip(dates, ids, strict=True)]
        return ids


class FakeUnitOfWork(FakeTransaction):
    def __init__(self) -> None:
        super().__init__()
        self.rules = FakeRules()
        self.occurrences = FakeOccurrences(rules=self.rules)
        self.rules.expected = self.occurrences.rows  # the same rows, as the tables are
        self.ledger = FakeLedger()
        self.events = FakeOutbox()
        self.clock = FixedClock()

    def owner_today(self) -> date:
        return TODAY


@pytest.fixture
def uow() -> FakeUnitOfWork:
    return FakeUnitOfWork()


def create(uow: FakeUnitOfWork, *, is_bill: bool = False, **schedule: object) -> UUID:
    fields: dict[str, object] = {"frequency": "monthly", "starts_on": TODAY} | schedule
    return use_cases.create_rule(
        uow=uow,  # type: ignore[arg-type]
        command=use_cases.CreateRule(
            name="Rent",
            template=use_cases.TemplateInput(
                kind="outflow", account_id=ACCOUNT, amount="850.00", payee="Landlord"
            ),
            schedule=use_cases.ScheduleInput(**fields),  # type: ignore[arg-type]
            is_bill=is_bill,
        ),
    )


def test_the_sweep_records_each_month_end_once(uow: FakeUnitOfWork) -> None:
    create(uow, starts_on=date(2026, 10, 31), day_of_month=-1)
    first = use_cases.sweep_tenant(uow=uow)  # type: ignore[arg-type]
    again = use_cases.sweep_tenant(uow=uow)  # type: ignore[arg-type]
    assert [on for _, on, _ in uow.ledger.recorded] == [
        date(2026, 10, 31),
        date(2026, 11, 30),
        date(2026, 12, 31),
        date(2027, 1, 31),
    ]
    assert (first.recorded, again.recorded) == (4, 0)
    assert all(
        r.status is OccurrenceStatus.RECORDED for r in uow.occurrences.rows.values()
    )


def test_bills_are_expected_and_overdue_once(uow: FakeUnitOfWork) -> None:
    create(uow, is_bill=True, starts_on=date(2026, 12, 15))
    result = use_cases.sweep_tenant(uow=uow)  # type: ignore[arg-type]
    use_cases.sweep_tenant(uow=uow)  # type: ignore[arg-type]
    assert uow.ledger.recorded == []
    assert (result.expected, result.overdue) == (2, 2)
    assert [e.due_on for e in uow.events.of_type(BillOverdue)] == [
        date(2026, 12, 15),
        date(2027, 1, 15),
    ]


def test_a_payment_pays_the_nearest_bill_even_before_the_sweep(
    uow: FakeUnitOfWork,
) -> None:
    rule_id = create(uow, is_bill=True, starts_on=date(2027, 2, 2))
    payment = Payment(
        account_id=ACCOUNT,
        amount_minor=85000,
        currency="EUR",
        payee="landlord",
        on=TODAY,
    )
    paid = uuid.uuid4()
    assert use_cases.match_payment(uow=uow, payment=payment, transaction_id=paid)  # type: ignore[arg-type]
    row = uow.occurrences.rows[(rule_id, date(2027, 2, 2))]
    assert (row.status, row.transaction_id) == (OccurrenceStatus.PAID, paid)
    use_cases.sweep_tenant(uow=uow)  # type: ignore[arg-type]
    assert (
        row == uow.occurrences.rows[(rule_id, date(2027, 2, 2))]
    )  # not expected again


def test_skip_a_date_but_not_one_already_recorded(uow: FakeUnitOfWork) -> None:
    rule_id = create(uow, starts_on=date(2027, 1, 31))
    use_cases.sweep_tenant(uow=uow)  # type: ignore[arg-type]
    with pytest.raises(ConflictError):
        use_cases.skip_occurrence(uow=uow, rule_id=rule_id, on=TODAY)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        use_cases.skip_occurrence(uow=uow, rule_id=rule_id, on=date(2027, 2, 27))  # type: ignore[arg-type]
    use_cases.skip_occurrence(uow=uow, rule_id=rule_id, on=date(2027, 2, 28))  # type: ignore[arg-type]
    assert uow.occurrences.rows[(rule_id, date(2027, 2, 28))].status is (
        OccurrenceStatus.SKIPPED
    )


def test_a_change_from_a_date_ends_the_old_rule_the_day_before(
    uow: FakeUnitOfWork,
) -> None:
    rule_id = create(uow, starts_on=date(2026, 11, 5))
    use_cases.sweep_tenant(uow=uow)  # type: ignore[arg-type]
    new_id = use_cases.change_from(
        uow=uow,  # type: ignore[arg-type]
        command=use_cases.ChangeFrom(
            rule_id=rule_id, on=date(2027, 2, 1), amount="900.00"
        ),
    )
    old, new = uow.rules.rows[rule_id], uow.rules.rows[new_id]
    assert old.schedule.ends_on == date(2027, 1, 31)
    assert uow.rules.next_due[rule_id] is None
    assert new.schedule.starts_on == date(2027, 2, 5)
    assert str(new.template.amount) != str(old.template.amount)
    assert uow.rules.links == {rule_id: new_id}
    with pytest.raises(ValidationError):
        use_cases.change_from(
            uow=uow,  # type: ignore[arg-type]
            command=use_cases.ChangeFrom(rule_id=new_id, on=TODAY - timedelta(days=1)),
        )


def test_an_unknown_account_is_refused_on_its_field(uow: FakeUnitOfWork) -> None:
    with pytest.raises(ValidationError) as refused:
        use_cases.create_rule(
            uow=uow,  # type: ignore[arg-type]
            command=use_cases.CreateRule(
                name="Rent",
                template=use_cases.TemplateInput(
                    kind="outflow", account_id=uuid.uuid4(), amount="1.00"
                ),
                schedule=use_cases.ScheduleInput(frequency="monthly", starts_on=TODAY),
            ),
        )
    assert refused.value.details[0].field == "account"
