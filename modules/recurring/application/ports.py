"""What the recurring use cases need from the outside world."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol
from uuid import UUID

from modules.live.application.events import EventOutbox
from modules.recurring.domain.bills import OccurrenceStatus
from modules.recurring.domain.rules import Rule, Template
from modules.shared.application.clock import Clock
from modules.shared.application.transaction import Transaction


@dataclass(frozen=True, kw_only=True)
class AccountFacts:
    currency: str
    is_liability: bool
    archived: bool
    name: str


@dataclass(frozen=True, kw_only=True)
class OccurrenceRow:
    rule_id: UUID
    on: date
    status: OccurrenceStatus
    transaction_id: UUID | None = None


class RuleStore(Protocol):
    def add(self, rule: Rule) -> None: ...

    def get(self, rule_id: UUID) -> Rule | None:
        """Locked until commit, so a sweep and an edit of one rule queue up."""

    def save(self, rule: Rule, *, next_due_on: date | None) -> None: ...

    def delete(self, rule_id: UUID) -> None: ...

    def link(self, old_id: UUID, new_id: UUID) -> None:
        """`old` was changed from a date on and continues as `new`."""

    def due_ids(self, on_or_before: date) -> list[UUID]:
        """The current tenant's active rules with a date to handle by then."""

    def lock_if_due(self, rule_id: UUID, on_or_before: date) -> Rule | None:
        """The rule, locked until commit, if it still has a date to handle by then."""

    def expected_bills(self) -> list[tuple[Rule, date]]:
        """Bills still waiting (expected), with their due dates."""

    def bill_rules(self) -> list[Rule]:
        """The current tenant's active bills."""


class OccurrenceStore(Protocol):
    def of(self, rule_id: UUID, dates: Iterable[date]) -> dict[date, OccurrenceRow]: ...

    def add_all(self, rows: Sequence[OccurrenceRow]) -> None:
        """Insert; a row that already exists for its rule and date is an error
        (`ConflictError`): that date was handled by someone else."""

    def set_status(
        self,
        rule_id: UUID,
        on: date,
        status: OccurrenceStatus,
        transaction_id: UUID | None = None,
    ) -> None: ...

    def overdue_unnoticed(self, today: date) -> list[tuple[Rule, date]]: ...

    def mark_noticed(self, rule_id: UUID, on: date, at: datetime) -> None: ...


class Ledger(Protocol):
    """The ledger's write path and what it knows of accounts."""

    def accounts(self, account_ids: Iterable[UUID]) -> dict[UUID, AccountFacts]: ...

    def record(self, template: Template, dates: Sequence[date]) -> list[UUID]:
        """One transaction per date, all or none; their ids in the same order."""


class UnitOfWork(Transaction, Protocol):
    rules: RuleStore
    occurrences: OccurrenceStore
    ledger: Ledger
    events: EventOutbox
    clock: Clock

    def owner_today(self) -> date:
        """Today in the tenant owner's time zone."""
