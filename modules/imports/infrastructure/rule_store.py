"""Rules between their table and the domain."""

from __future__ import annotations

from uuid import UUID

from modules.imports.domain.rules import (
    Direction,
    Operator,
    Outcome,
    Rule,
    TextCondition,
    TextField,
)
from modules.imports.infrastructure.models import ImportRule
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import NotFoundError
from modules.shared.domain.text import gettext_noop


def to_domain(row: ImportRule) -> Rule:
    return Rule(
        id=row.id,
        name=row.name,
        position=row.position,
        conditions=tuple(
            TextCondition(
                field=TextField(c["field"]),
                operator=Operator(c["operator"]),
                value=c["value"],
            )
            for c in row.conditions
        ),
        amount_min=row.amount_min,
        amount_max=row.amount_max,
        account_id=row.account_id,
        direction=Direction(row.direction) if row.direction else None,
        outcome=Outcome(
            category_id=row.category_id, payee=row.payee, transfer_to=row.transfer_to
        ),
    )


def load_rules() -> list[Rule]:
    """The current tenant's rules, in their order."""
    return [to_domain(row) for row in ImportRule.objects.all()]


def rule_row(rule_id: UUID) -> ImportRule:
    row = ImportRule.objects.filter(id=rule_id).first()
    if row is None:
        raise NotFoundError(gettext_noop("No such rule."))
    return row


def save_rule(rule: Rule) -> ImportRule:
    """Create or replace the rule of this id; the domain has checked it."""
    fields = {
        "name": rule.name,
        "position": rule.position,
        "conditions": [
            {"field": c.field.value, "operator": c.operator.value, "value": c.value}
            for c in rule.conditions
        ],
        "amount_min": rule.amount_min,
        "amount_max": rule.amount_max,
        "account_id": rule.account_id,
        "direction": rule.direction.value if rule.direction else "",
        "category_id": rule.outcome.category_id,
        "payee": rule.outcome.payee,
        "transfer_to": rule.outcome.transfer_to,
    }
    row, _ = ImportRule.objects.update_or_create(
        id=rule.id,
        defaults=fields,
        create_defaults={**fields, "tenant_id": current_tenant_id()},
    )
    return row


def delete_rule(rule_id: UUID) -> None:
    rule_row(rule_id).delete()
