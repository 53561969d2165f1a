"""When an event deserves a notification, and what it says."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from contracts.events.models import BalanceUpdated, BillOverdue, EventData
from modules.shared.domain.notifications import NotificationKind
from modules.shared.domain.text import gettext_noop


@dataclass(frozen=True)
class Notice:
    kind: NotificationKind
    params: dict[str, str]


def notice_for(event: EventData) -> Notice | None:
    """The notification an event calls for, if any."""
    if isinstance(event, BalanceUpdated) and _went_overdrawn(event):
        return Notice(
            kind=NotificationKind.ACCOUNT_OVERDRAWN,
            params={
                "account_id": str(event.account_id),
                "account_name": event.account_name,
                "balance": event.balance,
                "currency": event.currency,
            },
        )
    if isinstance(event, BillOverdue):
        return Notice(
            kind=NotificationKind.BILL_OVERDUE,
            params={
                "rule_id": str(event.rule_id),
                "bill_name": event.name,
                "amount": event.amount,
                "currency": event.currency,
                "due_on": event.due_on.isoformat(),
            },
        )
    return None


def _went_overdrawn(event: BalanceUpdated) -> bool:
    """An asset account crossing from zero or more to below zero."""
    return (
        event.account_class == "asset"
        and Decimal(event.previous_balance) >= 0
        and Decimal(event.balance) < 0
    )


# Title and body per kind; `account`, `balance`, `bill`, `amount` and `due_on` are
# filled when shown.
TEXTS = {
    NotificationKind.ACCOUNT_OVERDRAWN: (
        gettext_noop("%(account)s is overdrawn"),
        gettext_noop("The balance of %(account)s is now %(balance)s."),
    ),
    NotificationKind.BILL_OVERDUE: (
        gettext_noop("%(bill)s is overdue"),
        gettext_noop(
            "%(bill)s, %(amount)s, was due on %(due_on)s and is not paid yet."
        ),
    ),
}
