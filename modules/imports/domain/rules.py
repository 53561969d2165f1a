"""Rules that categorise what comes in (ADR 0017).

A rule matches when every one of its conditions holds. Rules are tried in their
order; in `first` mode the first rule that matches decides, in `all` mode every
matching rule contributes and, for each action (category, payee, transfer), the
first rule that sets it wins, so a more specific rule placed higher is never
overridden by a general one lower down.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import StrEnum
from uuid import UUID

from modules.shared.domain.errors import ValidationError
from modules.shared.domain.text import gettext_noop

MAX_PATTERN = 200


class TextField(StrEnum):
    PAYEE = "payee"
    DESCRIPTION = "description"


class Operator(StrEnum):
    CONTAINS = "contains"
    EQUALS = "equals"
    REGEX = "regex"


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class MatchMode(StrEnum):
    FIRST = "first"
    ALL = "all"


@dataclass(frozen=True, kw_only=True)
class TextCondition:
    field: TextField
    operator: Operator
    value: str

    def __post_init__(self) -> None:
        if not self.value or len(self.value) > MAX_PATTERN:
            raise ValidationError.for_field(
                "conditions.value",
                gettext_noop("Give a text of 1 to 200 characters."),
            )
        if self.operator is Operator.REGEX:
            try:
                re.compile(self.value)
            except re.error:
                raise ValidationError.for_field(
                    "conditions.value",
                    gettext_noop("This is not a valid regular expression."),
                ) from None

    def holds(self, text: str) -> bool:
        if self.operator is Operator.REGEX:
            return re.search(self.value, text, re.IGNORECASE) is not None
        if self.operator is Operator.EQUALS:
            return text.casefold().strip() == self.value.casefold().strip()
        return self.value.casefold() in text.casefold()


@dataclass(frozen=True, kw_only=True)
class Movement:
    """What a rule looks at: a statement row or a recorded transaction."""

    account_id: UUID
    amount: Decimal  # signed: money in is positive
    payee: str = ""
    description: str = ""


@dataclass(frozen=True, kw_only=True)
class Outcome:
    category_id: UUID | None = None
    payee: str = ""
    transfer_to: UUID | None = None

    @property
    def changes_anything(self) -> bool:
        return bool(self.category_id or self.payee or self.transfer_to)


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: UUID
    name: str
    position: int = 0
    conditions: tuple[TextCondition, ...] = ()
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    account_id: UUID | None = None
    direction: Direction | None = None
    outcome: Outcome = field(default_factory=Outcome)

    def __post_init__(self) -> None:
        if not self.outcome.changes_anything:
            raise ValidationError.for_field(
                "actions",
                gettext_noop(
                    "Choose what the rule does: a category, a payee or a transfer."
                ),
                code="required",
            )
        if not (
            self.conditions
            or self.amount_min is not None
            or self.amount_max is not None
        ):
            raise ValidationError.for_field(
                "conditions",
                gettext_noop("Give the rule at least one text or amount condition."),
                code="required",
            )

    def matches(self, movement: Movement) -> bool:
        size = abs(movement.amount)
        if self.account_id is not None and movement.account_id != self.account_id:
            return False
        if self.direction is Direction.IN and movement.amount <= 0:
            return False
        if self.direction is Direction.OUT and movement.amount >= 0:
            return False
        if self.amount_min is not None and size < self.amount_min:
            return False
        if self.amount_max is not None and size > self.amount_max:
            return False
        return all(
            c.holds(
                movement.payee if c.field is TextField.PAYEE else movement.description
            )
            for c in self.conditions
        )


def apply_rules(
    rules: Iterable[Rule], movement: Movement, *, mode: MatchMode = MatchMode.FIRST
) -> Outcome:
    outcome = Outcome()
    for rule in sorted(rules, key=lambda r: r.position):
        if not rule.matches(movement):
            continue
        found = rule.outcome
        outcome = replace(
            outcome,
            category_id=outcome.category_id or found.category_id,
            payee=outcome.payee or found.payee,
            transfer_to=outcome.transfer_to or found.transfer_to,
        )
        if mode is MatchMode.FIRST:
            break
    return outcome
