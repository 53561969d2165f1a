"""The budgets module's outbox consumer: spending changed, so a budget may have
reached a threshold."""

from __future__ import annotations

from contracts.events.models import TransactionCreated, TransactionsRecorded
from modules.budgets.application.use_cases import alert_thresholds
from modules.budgets.infrastructure.uow import unit_of_work
from modules.live.api import DeliveredEvent


def on_event(event: DeliveredEvent) -> None:
    data = event.data
    if isinstance(data, TransactionCreated):
        categories = {p.category_id for p in data.postings if p.category_id}
        if categories:
            alert_thresholds(uow=unit_of_work(), category_ids=categories)
    elif isinstance(data, TransactionsRecorded):
        alert_thresholds(uow=unit_of_work(), category_ids=None)
