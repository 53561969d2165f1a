"""A rule: what is due by a day, pausing and resuming, and what a date does to an
account's balance."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from modules.recurring.domain.rules import Rule, Template, TemplateKind
from modules.recurring.domain.schedules import Frequency, Schedule
from modules.shared.domain.errors import ConflictError, ValidationError
from modules.shared.domain.money import Money

TODAY = date(2027, 3, 10)
CHECKING, SAVINGS = uuid.uuid4(), uuid.uuid4()


def daily_rule(**changes: object) -> Rule:
    fields: dict[str, object] = {
        "id": uuid.uuid4(),
        "name": "Coffee",
        "template": Template(
            kind=TemplateKind.OUTFLOW,
            account_id=CHECKING,
            amount=Money.of("3.50", "EUR"),
        ),
        "schedule": Schedule(
            frequency=Frequency.DAILY, starts_on=TODAY - timedelta(days=4)
        ),
    } | changes
    return Rule(**fields)  # type: ignore[arg-type]


def test_every_date_since_the_last_sweep_is_due() -> None:
    rule = daily_rule(swept_through=TODAY - timedelta(days=2))
    assert rule.due_dates(TODAY) == [TODAY - timedelta(days=1), TODAY]
    swept = rule.swept(TODAY)
    assert swept.due_dates(TODAY) == []
    assert swept.next_due() == TODAY + timedelta(days=1)


def test_paused_dates_are_not_recorded_after_a_resume() -> None:
    paused = daily_rule().pause()
    assert paused.due_dates(TODAY) == []
    assert paused.next_due() is None
    with pytest.raises(ConflictError):
        paused.pause()
    resumed = paused.resume(TODAY)
    assert resumed.due_dates(TODAY) == [TODAY]
    with pytest.raises(ConflictError):
        resumed.resume(TODAY)


def test_a_transfer_moves_money_out_of_one_account_into_the_other() -> None:
    template = Template(
        kind=TemplateKind.TRANSFER,
        account_id=CHECKING,
        to_account_id=SAVINGS,
        amount=Money.of("100.00", "EUR"),
    )
    assert template.effect_on(CHECKING, liability=False) == Money.of("-100.00", "EUR")
    assert template.effect_on(SAVINGS, liability=False) == Money.of("100.00", "EUR")
    assert template.effect_on(SAVINGS, liability=True) == Money.of("-100.00", "EUR")
    assert template.effect_on(uuid.uuid4(), liability=False) is None


@pytest.mark.parametrize(
    "template",
    [
        {"kind": TemplateKind.OUTFLOW, "amount": Money.of("0.00", "EUR")},
        {"kind": TemplateKind.TRANSFER, "amount": Money.of("1.00", "EUR")},
        {
            "kind": TemplateKind.OUTFLOW,
            "amount": Money.of("1.00", "EUR"),
            "to_account_id": SAVINGS,
        },
        {
            "kind": TemplateKind.TRANSFER,
            "amount": Money.of("1.00", "EUR"),
            "to_account_id": CHECKING,
        },
    ],
)
def test_a_template_that_makes_no_sense_is_refused(template: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Template(account_id=CHECKING, **template)  # type: ignore[arg-type]


def test_only_money_out_is_a_bill_and_a_rule_has_a_name() -> None:
    inflow = Template(
        kind=TemplateKind.INFLOW, account_id=CHECKING, amount=Money.of("1", "EUR")
    )
    with pytest.raises(ValidationError):
        daily_rule(template=inflow, is_bill=True)
    with pytest.raises(ValidationError):
        daily_rule(name="  ")
