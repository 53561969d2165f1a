"""The recurring module's outbox consumer: a payment that matches a bill pays it."""

from __future__ import annotations

from contracts.events.models import TransactionCreated, TransactionsRecorded
from modules.live.api import DeliveredEvent
from modules.recurring.application.use_cases import match_payment
from modules.recurring.domain.bills import Payment
from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.recurring.infrastructure.uow import unit_of_work
from modules.transactions import api as ledger


def pay_bills(event: DeliveredEvent) -> None:
    """Idempotent: a transaction already linked to an occurrence is not matched again."""
    data = event.data
    if not isinstance(data, TransactionCreated | TransactionsRecorded):
        return
    if not RecurringRule.objects.filter(is_bill=True, paused=False).exists():
        return
    if isinstance(data, TransactionCreated) and data.kind == "outflow":
        found = ledger.outflows([data.transaction_id])
    elif isinstance(data, TransactionsRecorded):
        found = ledger.outflows(data.transaction_ids)
    else:
        return
    linked = set(
        Occurrence.objects.filter(
            transaction_id__in=[o.transaction_id for o in found]
        ).values_list("transaction_id", flat=True)
    )
    for outflow in found:
        if outflow.transaction_id in linked:
            continue
        match_payment(
            uow=unit_of_work(),
            payment=Payment(
                account_id=outflow.account_id,
                amount_minor=outflow.amount.minor,
                currency=outflow.amount.currency,
                payee=outflow.payee,
                on=outflow.on,
            ),
            transaction_id=outflow.transaction_id,
        )
