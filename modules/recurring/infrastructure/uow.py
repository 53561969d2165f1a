"""The recurring module's unit of work, and the ledger and accounts as it sees them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from modules.accounts import api as accounts
from modules.identity import api as identity
from modules.live.api import OutboxWriter
from modules.recurring.application.ports import AccountFacts
from modules.recurring.domain.rules import Template, TemplateKind
from modules.recurring.infrastructure.stores import (
    DjangoOccurrenceStore,
    DjangoRuleStore,
)
from modules.shared.infrastructure.uow import AtomicUnitOfWork
from modules.transactions import api as ledger

BATCH = 500


class LedgerForRecurring:
    """Writes through the ledger's own write path (`record_batch`), in the caller's
    transaction: the transactions and the occurrence rows commit together or not at
    all."""

    def accounts(self, account_ids: Iterable[UUID]) -> dict[UUID, AccountFacts]:
        return {
            account_id: AccountFacts(
                currency=account.currency,
                is_liability=account.is_liability,
                archived=account.archived,
                name=account.name,
            )
            for account_id, account in accounts.accounts_by_id(account_ids).items()
        }

    def record(self, template: Template, dates: Sequence[date]) -> list[UUID]:
        commands = [_command(template, on) for on in dates]
        ids: list[UUID] = []
        for start in range(0, len(commands), BATCH):
            ids += ledger.record_batch(
                uow=ledger.unit_of_work(), commands=commands[start : start + BATCH]
            )
        return ids


def _command(template: Template, on: date) -> ledger.RecordFlow | ledger.RecordTransfer:
    text = ledger.EntryText(payee=template.payee, description=template.note)
    amount = template.amount.to_string()
    if template.kind is TemplateKind.TRANSFER:
        assert template.to_account_id is not None
        return ledger.RecordTransfer(
            from_account_id=template.account_id,
            to_account_id=template.to_account_id,
            amount=amount,
            on=on,
            text=text,
        )
    return ledger.RecordFlow(
        direction=ledger.EntryKind(template.kind.value),
        account_id=template.account_id,
        amount=amount,
        on=on,
        category_id=template.category_id,
        text=text,
    )


def owner_zone() -> ZoneInfo:
    try:
        return ZoneInfo(identity.owner_time_zone())
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.rules = DjangoRuleStore()
        self.occurrences = DjangoOccurrenceStore()
        self.ledger = LedgerForRecurring()
        self.events = OutboxWriter(self.clock)

    def owner_today(self) -> date:
        return self.clock.now().astimezone(owner_zone()).date()


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
