"""A signed statement amount as the ledger's command: money in, money out, or a
transfer when a rule says it is one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from uuid import UUID

from modules.transactions import api as ledger


def ledger_command(
    *,
    account_id: UUID,
    amount: Decimal,
    on: date,
    text: ledger.EntryText,
    category_id: UUID | None = None,
    transfer_to: UUID | None = None,
) -> ledger.RecordFlow | ledger.RecordTransfer:
    size = f"{abs(amount):f}"
    outgoing = amount < 0
    if transfer_to is not None:
        return ledger.RecordTransfer(
            from_account_id=account_id if outgoing else transfer_to,
            to_account_id=transfer_to if outgoing else account_id,
            amount=size,
            on=on,
            text=text,
        )
    return ledger.RecordFlow(
        direction=ledger.EntryKind.OUTFLOW if outgoing else ledger.EntryKind.INFLOW,
        account_id=account_id,
        amount=size,
        on=on,
        category_id=category_id,
        text=text,
    )
