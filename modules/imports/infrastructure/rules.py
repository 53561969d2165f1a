"""The current tenant's rules as the import and the ledger's entry see them. A rule's
category is only given to a line of its kind (an expense category to money out), so
a general rule never makes a recording fail."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from uuid import UUID

from django.db.models import Exists, Expression

from modules.imports.domain.rules import Movement, Outcome, Rule, apply_rules
from modules.imports.domain.statements import StatementRow
from modules.imports.infrastructure.models import ImportRule
from modules.imports.infrastructure.rule_store import load_rules
from modules.transactions import api as ledger


def _fitting(outcome: Outcome, *, incoming: bool, expense_ids: set[UUID]) -> Outcome:
    if outcome.category_id is None or (outcome.category_id in expense_ids) != incoming:
        return outcome
    return replace(outcome, category_id=None)


def _outcome(rules: list[Rule], movement: Movement, expense_ids: set[UUID]) -> Outcome:
    found = apply_rules(rules, movement)
    return _fitting(found, incoming=movement.amount > 0, expense_ids=expense_ids)


def _expense_ids() -> set[UUID]:
    return {c.id for c in ledger.expense_categories()}


class RuleCategoriser:
    def outcomes(self, account_id: UUID, rows: Sequence[StatementRow]) -> list[Outcome]:
        rules = load_rules()
        if not rules:
            return [Outcome()] * len(rows)
        expense_ids = _expense_ids()
        return [
            _outcome(
                rules,
                Movement(
                    account_id=account_id,
                    amount=row.amount,
                    payee=row.payee,
                    description=row.description,
                ),
                expense_ids,
            )
            for row in rows
        ]


def rules_exist() -> Expression:
    """Whether the current tenant has rules, as the ledger reads it with the
    accounts of a transaction entered by hand."""
    return Exists(ImportRule.objects.all())


def rules_on_entry(command: ledger.RecordFlow) -> ledger.RecordFlow:
    """A transaction entered by hand: the rules fill in its category when none was
    chosen, and rename its payee; marking as a transfer is left to imports."""
    rules = load_rules()
    try:
        size = Decimal(command.amount)
    except InvalidOperation:  # refused by the ledger, with its own message
        return command
    if not rules:
        return command
    incoming = command.direction is ledger.EntryKind.INFLOW
    movement = Movement(
        account_id=command.account_id,
        amount=size if incoming else -size,
        payee=command.text.payee,
        description=command.text.description,
    )
    found = _outcome(rules, movement, _expense_ids())
    return replace(
        command,
        category_id=command.category_id or found.category_id,
        text=replace(command.text, payee=found.payee or command.text.payee),
    )
