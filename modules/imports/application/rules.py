"""Rules over history: what a rule would change (dry run), and applying it, which
records a reversal and a corrected transaction for each, never an edit."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Protocol
from uuid import UUID

from modules.imports.domain.rules import Movement, Outcome, Rule
from modules.shared.application.transaction import Transaction

DRY_RUN_LIMIT = 200


@dataclass(frozen=True, kw_only=True)
class PastTransaction:
    transaction_id: UUID
    movement: Movement
    on: date
    category_id: UUID | None


@dataclass(frozen=True, kw_only=True)
class Change:
    """What applying a rule would do to one past transaction."""

    transaction: PastTransaction
    outcome: Outcome


class History(Protocol):
    def transactions(self) -> Iterable[PastTransaction]:
        """Money in and money out of the tenant's accounts, oldest first."""

    def correct(self, change: Change) -> None:
        """Reverse the transaction and record it again as the rule says."""


class RulesUnitOfWork(Transaction, Protocol):
    history: History


def changes(rule: Rule, history: Iterable[PastTransaction]) -> Iterable[Change]:
    for past in history:
        if not rule.matches(past.movement):
            continue
        outcome = _effective(rule.outcome, past)
        if outcome.changes_anything:
            yield Change(transaction=past, outcome=outcome)


def _effective(outcome: Outcome, past: PastTransaction) -> Outcome:
    """Only what would differ from what the transaction already says."""
    return Outcome(
        category_id=outcome.category_id
        if outcome.category_id != past.category_id
        else None,
        payee=outcome.payee
        if outcome.payee and outcome.payee != past.movement.payee
        else "",
        transfer_to=outcome.transfer_to,
    )


def dry_run(
    *, uow: RulesUnitOfWork, rule: Rule, limit: int = DRY_RUN_LIMIT
) -> list[Change]:
    """The first `limit` past transactions the rule would change, and how."""
    found = []
    for change in changes(rule, uow.history.transactions()):
        found.append(change)
        if len(found) == limit:
            break
    return found


def apply_to_history(*, uow: RulesUnitOfWork, rule: Rule) -> int:
    """Correct every past transaction the rule would change, all or none."""
    with uow:
        pending = list(changes(rule, uow.history.transactions()))
        for change in pending:
            uow.history.correct(change)
    return len(pending)
