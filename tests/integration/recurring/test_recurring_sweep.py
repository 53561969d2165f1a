"""The sweep: each due date recorded once through the ledger, catch-up after
downtime, bills expected and announced once, payments that pay bills."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import TestCase

from modules.identity.infrastructure.models import Profile
from modules.live.infrastructure.models import OutboxEvent
from modules.notifications.infrastructure.models import Notification
from modules.recurring.application.use_cases import (
    pause_rule,
    resume_rule,
    skip_occurrence,
)
from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.recurring.infrastructure.sweep import sweep_all
from modules.recurring.infrastructure.uow import unit_of_work
from modules.shared.application.tenancy import tenant_scope
from modules.transactions.api import RecordFlow, record_transaction
from modules.transactions.api import unit_of_work as ledger_uow
from modules.transactions.domain.ledger import EntryKind, EntryText
from modules.transactions.infrastructure.models import Entry
from tests.factories import UserFactory
from tests.integration.recurring.helpers import (
    month_end,
    months_back,
    new_account,
    new_rule,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> Any:
    return UserFactory()


def entries_of(tenant_id: Any) -> list[Any]:
    with tenant_scope(tenant_id):
        return list(Entry.objects.filter(kind="outflow").order_by("occurred_on"))


def test_a_month_end_rule_from_three_months_ago_records_each_past_date_once(
    person: Any,
) -> None:
    account = new_account(person.tenant_id)
    year, month = months_back(today(), 3)
    new_rule(
        person.tenant_id,
        account.id,
        starts_on=month_end(year, month),
        day_of_month=-1,
        amount="187.60",
    )
    sweep_all()
    sweep_all()  # a second run, or a retry, records nothing more
    expected = [
        month_end(*months_back(today(), back))
        for back in (3, 2, 1, 0)
        if month_end(*months_back(today(), back)) <= today()
    ]
    recorded = entries_of(person.tenant_id)
    assert [e.occurred_on for e in recorded] == expected
    assert {e.payee for e in recorded} == {"Landlord"}
    with tenant_scope(person.tenant_id):
        occurrences = list(Occurrence.objects.order_by("on"))
        rule = RecurringRule.objects.get()
    assert [o.on for o in occurrences] == expected
    assert [o.transaction_id for o in occurrences] == [e.id for e in recorded]
    assert rule.swept_through == today()
    assert rule.next_due_on is not None and rule.next_due_on > today()


def test_after_downtime_every_date_since_the_last_sweep_is_caught_up(
    person: Any,
) -> None:
    account = new_account(person.tenant_id)
    new_rule(
        person.tenant_id,
        account.id,
        starts_on=today() - timedelta(days=9),
        frequency="daily",
        amount="1.00",
    )
    with tenant_scope(person.tenant_id):
        RecurringRule.objects.update(
            swept_through=today() - timedelta(days=5),
            next_due_on=today() - timedelta(days=4),
        )
    sweep_all()
    assert [e.occurred_on for e in entries_of(person.tenant_id)] == [
        today() - timedelta(days=d) for d in (4, 3, 2, 1, 0)
    ]


def test_paused_dates_are_left_out_and_skipped_dates_never_recorded(
    person: Any,
) -> None:
    account = new_account(person.tenant_id)
    rule_id = new_rule(
        person.tenant_id,
        account.id,
        starts_on=today() - timedelta(days=2),
        frequency="daily",
        amount="1.00",
    )
    with tenant_scope(person.tenant_id):
        pause_rule(uow=unit_of_work(), rule_id=rule_id)
    sweep_all()
    assert entries_of(person.tenant_id) == []
    with tenant_scope(person.tenant_id):
        resume_rule(uow=unit_of_work(), rule_id=rule_id)
        skip_occurrence(
            uow=unit_of_work(), rule_id=rule_id, on=today() + timedelta(days=1)
        )
    sweep_all()
    assert [e.occurred_on for e in entries_of(person.tenant_id)] == [today()]
    with tenant_scope(person.tenant_id):
        statuses = dict(Occurrence.objects.values_list("on", "status"))
    assert statuses == {today(): "recorded", today() + timedelta(days=1): "skipped"}


def test_each_person_is_swept_in_their_own_scope(person: Any) -> None:
    other = UserFactory()
    for someone in (person, other):
        account = new_account(someone.tenant_id)
        new_rule(someone.tenant_id, account.id, starts_on=today(), frequency="daily")
    assert sweep_all().recorded == 2
    assert len(entries_of(person.tenant_id)) == 1
    assert len(entries_of(other.tenant_id)) == 1


def test_a_bill_is_expected_not_recorded_and_overdue_raised_once(person: Any) -> None:
    account = new_account(person.tenant_id)
    new_rule(
        person.tenant_id,
        account.id,
        starts_on=today() - timedelta(days=10),
        frequency="weekly",
        amount="49.99",
        is_bill=True,
        payee="Power Co",
    )
    sweep_all()
    sweep_all()
    assert entries_of(person.tenant_id) == []
    with tenant_scope(person.tenant_id):
        statuses = list(Occurrence.objects.values_list("status", flat=True))
        overdue = OutboxEvent.objects.filter(type="bill.overdue")
        assert statuses == ["expected", "expected"]
        assert overdue.count() == 2  # two past dates, each announced once
        assert {e.data["payee"] for e in overdue} == {"Power Co"}


def test_a_matching_payment_within_three_days_pays_the_bill(person: Any) -> None:
    account = new_account(person.tenant_id)
    new_rule(
        person.tenant_id,
        account.id,
        starts_on=today() - timedelta(days=1),
        frequency="monthly",
        amount="49.99",
        is_bill=True,
        payee="Power Co",
    )
    sweep_all()
    with (
        tenant_scope(person.tenant_id),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        paid = record_transaction(
            uow=ledger_uow(),
            command=RecordFlow(
                direction=EntryKind.OUTFLOW,
                account_id=account.id,
                amount="49.99",
                on=today() + timedelta(days=1),
                text=EntryText(payee="power co"),
            ),
        )
    with tenant_scope(person.tenant_id):
        occurrence = Occurrence.objects.get()
    assert occurrence.status == "paid"
    assert occurrence.transaction_id == paid


def test_an_overdue_bill_notifies_in_the_app_and_by_email_if_wanted(
    person: Any,
) -> None:
    Profile.all_tenants.filter(user=person).update(
        notify_by_email=True, email_notifications=["bill_overdue"]
    )
    account = new_account(person.tenant_id)
    new_rule(
        person.tenant_id,
        account.id,
        starts_on=today() - timedelta(days=2),
        frequency="monthly",
        amount="49.99",
        is_bill=True,
        payee="Power Co",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep_all()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep_all()
    [notification] = Notification.all_tenants.all()
    assert notification.kind == "bill_overdue"
    [message] = mail.outbox
    assert message.subject == "Rent is overdue"
    assert "€49.99" in message.body


def test_a_new_shortfall_in_the_forecast_notifies_once(person: Any) -> None:
    account = new_account(person.tenant_id, opening="100.00")
    new_rule(
        person.tenant_id,
        account.id,
        starts_on=today() + timedelta(days=10),
        frequency="monthly",
        amount="80.00",
    )
    for amount in ("30.00", "1.00"):  # each balance change looks again
        with (
            tenant_scope(person.tenant_id),
            TestCase.captureOnCommitCallbacks(execute=True),
        ):
            record_transaction(
                uow=ledger_uow(),
                command=RecordFlow(
                    direction=EntryKind.OUTFLOW,
                    account_id=account.id,
                    amount=amount,
                    on=today(),
                ),
            )
    with tenant_scope(person.tenant_id):
        [event] = OutboxEvent.objects.filter(type="forecast.shortfall")
        [notification] = Notification.objects.filter(kind="forecast_shortfall")
        created = OutboxEvent.objects.get(type="notification.created")
    assert notification.params["due_on"] == event.data["first_on"]
    assert event.data["first_on"] == (today() + timedelta(days=10)).isoformat()
    assert event.data["lowest"] == "-10.00"  # when it first appeared
    assert created.data["title"] == "Checking EUR is forecast to go below zero"


@pytest.mark.parametrize(
    ("zone", "moment", "due"),
    [
        # 12:00 UTC on 31 January is already 1 February in Kiritimati (UTC+14)
        ("Pacific/Kiritimati", "2027-01-31T12:00:00+00:00", True),
        # 05:00 UTC on 1 February is still 31 January in Los Angeles
        ("America/Los_Angeles", "2027-02-01T05:00:00+00:00", False),
        # Madrid springs forward at 01:00 UTC on 28 March 2027: 01:30 UTC is 03:30 local
        ("Europe/Madrid", "2027-03-28T01:30:00+00:00", True),
    ],
)
def test_a_date_falls_due_at_midnight_in_the_persons_time_zone(
    person: Any, zone: str, moment: str, due: bool
) -> None:
    Profile.all_tenants.filter(user=person).update(timezone=zone)
    local_day = datetime.fromisoformat(moment).astimezone(ZoneInfo(zone)).date()
    account = new_account(person.tenant_id)
    target = local_day if due else local_day + timedelta(days=1)
    new_rule(person.tenant_id, account.id, starts_on=target, frequency="daily")
    with time_machine.travel(datetime.fromisoformat(moment), tick=False):
        sweep_all()
    assert [e.occurred_on for e in entries_of(person.tenant_id)] == (
        [target] if due else []
    )
