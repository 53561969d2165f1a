"""A recurring rule: what to record (a template) and when (a schedule).

Plain Python. `swept_through` is the last date the sweep has handled: every date of
the schedule up to it is recorded, expected (a bill) or skipped, and a sweep after
downtime takes every date after it up to today. Pausing stops that; resuming carries
on from the day of the resume, so nothing piles up while a rule is paused.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from modules.recurring.domain.schedules import Schedule
from modules.shared.domain.errors import ConflictError, ValidationError
from modules.shared.domain.money import Money
from modules.shared.domain.text import gettext_noop


class TemplateKind(StrEnum):
    INFLOW = "inflow"
    OUTFLOW = "outflow"
    TRANSFER = "transfer"


@dataclass(frozen=True, kw_only=True)
class Template:
    kind: TemplateKind
    account_id: UUID
    amount: Money
    to_account_id: UUID | None = None
    category_id: UUID | None = None
    payee: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if not self.amount.is_positive():
            raise ValidationError.for_field(
                "amount", gettext_noop("Amount must be positive."), code="not_positive"
            )
        if (self.kind is TemplateKind.TRANSFER) != (self.to_account_id is not None):
            raise ValidationError.for_field(
                "to_account",
                gettext_noop("A transfer, and only a transfer, has a target account."),
            )
        if self.kind is TemplateKind.TRANSFER and self.to_account_id == self.account_id:
            raise ValidationError.for_field(
                "to_account", gettext_noop("Transfer to another account.")
            )

    def effect_on(self, account_id: UUID, *, liability: bool) -> Money | None:
        """What one occurrence does to `account_id`'s balance as the person reads
        it (a liability reads as what is owed), or None when it does not touch it."""
        if account_id == self.account_id:
            out = self.kind is not TemplateKind.INFLOW
        elif account_id == self.to_account_id:
            out = False
        else:
            return None
        signed = -self.amount if out else self.amount
        return -signed if liability else signed


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: UUID
    name: str
    template: Template
    schedule: Schedule
    is_bill: bool = False
    paused: bool = False
    swept_through: date | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValidationError.for_field(
                "name", gettext_noop("This field is required."), code="required"
            )
        if self.is_bill and self.template.kind is not TemplateKind.OUTFLOW:
            raise ValidationError.for_field(
                "is_bill", gettext_noop("Only money out can be a bill.")
            )

    def first_unhandled(self) -> date:
        if self.swept_through is None:
            return self.schedule.starts_on
        return self.swept_through + timedelta(days=1)

    def due_dates(self, today: date) -> list[date]:
        """Every date not yet handled, up to today; none while paused."""
        if self.paused:
            return []
        return list(self.schedule.dates(self.first_unhandled(), today))

    def next_due(self) -> date | None:
        """The first date the sweep has still to handle (None: paused or ended)."""
        if self.paused:
            return None
        return self.schedule.first_on_or_after(self.first_unhandled())

    def swept(self, today: date) -> Rule:
        return replace(
            self, swept_through=max(today, self.first_unhandled() - timedelta(days=1))
        )

    def pause(self) -> Rule:
        if self.paused:
            raise ConflictError(gettext_noop("The rule is already paused."))
        return replace(self, paused=True)

    def resume(self, today: date) -> Rule:
        """Dates while paused are left out: the sweep carries on from today."""
        if not self.paused:
            raise ConflictError(gettext_noop("The rule is not paused."))
        yesterday = today - timedelta(days=1)
        through = (
            yesterday
            if self.swept_through is None
            else max(self.swept_through, yesterday)
        )
        return replace(self, paused=False, swept_through=through)
