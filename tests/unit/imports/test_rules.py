"""Rules: all conditions must hold; first match or all matches."""

from __future__ import annotations

import uuid
from decimal import Decimal

import pytest

from modules.imports.domain.rules import (
    Direction,
    MatchMode,
    Movement,
    Operator,
    Outcome,
    Rule,
    TextCondition,
    TextField,
    apply_rules,
)
from modules.shared.domain.errors import ValidationError

ACCOUNT = uuid.uuid4()
GROCERIES, FUN = uuid.uuid4(), uuid.uuid4()


def text(
    value: str,
    operator: Operator = Operator.CONTAINS,
    field: TextField = TextField.PAYEE,
) -> TextCondition:
    return TextCondition(field=field, operator=operator, value=value)


def rule(position: int = 0, **fields: object) -> Rule:
    fields.setdefault("conditions", (text("market"),))
    fields.setdefault("outcome", Outcome(category_id=GROCERIES))
    return Rule(id=uuid.uuid4(), name="r", position=position, **fields)  # type: ignore[arg-type]


def spend(
    payee: str, amount: str = "-20", account: uuid.UUID = ACCOUNT, description: str = ""
) -> Movement:
    return Movement(
        account_id=account, amount=Decimal(amount), payee=payee, description=description
    )


def test_text_conditions() -> None:
    assert text("MARKET").holds("Super market 24")
    assert text("super market", Operator.EQUALS).holds(" Super Market ")
    assert not text("super", Operator.EQUALS).holds("Super market")
    assert text(r"^sup.*\d+$", Operator.REGEX).holds("Super market 24")
    with pytest.raises(ValidationError):
        text("(", Operator.REGEX)
    with pytest.raises(ValidationError):
        text("")


def test_every_condition_must_hold() -> None:
    strict = rule(
        amount_min=Decimal(10),
        amount_max=Decimal(50),
        account_id=ACCOUNT,
        direction=Direction.OUT,
        conditions=(text("market"), text("card", field=TextField.DESCRIPTION)),
    )
    assert strict.matches(spend("Market", description="card 1234"))
    assert not strict.matches(spend("Market", description="cash"))
    assert not strict.matches(spend("Market", "-5", description="card"))
    assert not strict.matches(spend("Market", "-60", description="card"))
    assert not strict.matches(spend("Market", "20", description="card"))
    assert not strict.matches(spend("Market", account=uuid.uuid4(), description="card"))
    assert rule(direction=Direction.IN).matches(spend("Market", "20"))


def test_first_match_decides_or_all_contribute_first_setter_wins() -> None:
    rules = [
        rule(1, outcome=Outcome(category_id=FUN, payee="Fun Market")),
        rule(0, outcome=Outcome(category_id=GROCERIES)),
    ]
    assert apply_rules(rules, spend("market")) == Outcome(category_id=GROCERIES)
    both = apply_rules(rules, spend("market"), mode=MatchMode.ALL)
    assert both == Outcome(category_id=GROCERIES, payee="Fun Market")
    assert apply_rules(rules, spend("bakery")) == Outcome()


def test_a_rule_needs_a_condition_and_an_action() -> None:
    with pytest.raises(ValidationError):
        rule(outcome=Outcome())
    with pytest.raises(ValidationError):
        rule(conditions=())
    assert rule(conditions=(), amount_min=Decimal(1)).matches(spend("x"))
