"""The ledger's past as the rules see it, and corrections through its write path."""

from __future__ import annotations

from collections.abc import Iterator

from modules.accounts import api as accounts
from modules.imports.application.rules import Change, PastTransaction
from modules.imports.domain.rules import Movement
from modules.imports.infrastructure.commands import ledger_command
from modules.shared.infrastructure.uow import AtomicUnitOfWork
from modules.transactions import api as ledger

FLOWS = {ledger.EntryKind.INFLOW, ledger.EntryKind.OUTFLOW}


class LedgerHistory:
    def transactions(self) -> Iterator[PastTransaction]:
        account_ids = [row.id for row in accounts.account_rows(include_archived=False)]
        for m in ledger.account_movements(account_ids, with_categories=True):
            if m.kind not in FLOWS or m.split:
                continue  # a rule gives one category: it would undo a split
            yield PastTransaction(
                transaction_id=m.transaction_id,
                movement=Movement(
                    account_id=m.account_id,
                    amount=m.amount.amount,
                    payee=m.payee,
                    description=m.description,
                ),
                on=m.on,
                category_id=m.category_id,
            )

    def correct(self, change: Change) -> None:
        past, outcome = change.transaction, change.outcome
        movement = past.movement
        ledger.reverse_transaction(
            uow=ledger.unit_of_work(), entry_id=past.transaction_id
        )
        text = ledger.EntryText(
            payee=outcome.payee or movement.payee, description=movement.description
        )
        command = ledger_command(
            account_id=movement.account_id,
            amount=movement.amount,
            on=past.on,
            text=text,
            category_id=outcome.category_id or past.category_id,
            transfer_to=outcome.transfer_to,
        )
        ledger.record_batch(uow=ledger.unit_of_work(), commands=[command])


class RulesUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.history = LedgerHistory()
