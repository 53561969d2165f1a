"""Bills: a rule's expected payments, and when a transaction pays one.

Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

MATCH_WINDOW_DAYS = 3


class OccurrenceStatus(StrEnum):
    RECORDED = "recorded"
    SKIPPED = "skipped"
    EXPECTED = "expected"
    PAID = "paid"


class BillState(StrEnum):
    """How a bill reads to the person on a given day."""

    UPCOMING = "upcoming"
    OVERDUE = "overdue"
    PAID = "paid"
    SKIPPED = "skipped"


def bill_state(status: OccurrenceStatus, due_on: date, today: date) -> BillState:
    if status in (OccurrenceStatus.PAID, OccurrenceStatus.RECORDED):
        return BillState.PAID
    if status is OccurrenceStatus.SKIPPED:
        return BillState.SKIPPED
    return BillState.OVERDUE if due_on < today else BillState.UPCOMING


@dataclass(frozen=True, kw_only=True)
class Payment:
    """A money-out transaction as a bill sees it."""

    account_id: UUID
    amount_minor: int
    currency: str
    payee: str
    on: date


@dataclass(frozen=True, kw_only=True)
class ExpectedBill:
    account_id: UUID
    amount_minor: int
    currency: str
    payee: str
    due_on: date


def normalized_payee(payee: str) -> str:
    return " ".join(payee.casefold().split())


def pays(payment: Payment, bill: ExpectedBill) -> bool:
    """Same account, same amount and currency, same payee (ignoring case and
    spacing), within three days of the due date either way."""
    return (
        payment.account_id == bill.account_id
        and payment.amount_minor == bill.amount_minor
        and payment.currency == bill.currency
        and normalized_payee(payment.payee) == normalized_payee(bill.payee)
        and abs((payment.on - bill.due_on).days) <= MATCH_WINDOW_DAYS
    )


def best_match(payment: Payment, bills: list[ExpectedBill]) -> ExpectedBill | None:
    """The matching bill due closest to the payment (the earlier one on a tie)."""
    matching = [bill for bill in bills if pays(payment, bill)]
    if not matching:
        return None
    return min(matching, key=lambda b: (abs((payment.on - b.due_on).days), b.due_on))
