"""When an event deserves a notification, and what it says."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from contracts.events.models import (
    BalanceUpdated,
    BillOverdue,
    BudgetThresholdCrossed,
    EventData,
    ExportReady,
    ForecastShortfall,
)
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
    if isinstance(event, ExportReady):
        return Notice(
            kind=NotificationKind.EXPORT_READY,
            params={"export_id": str(event.export_id)},
        )
    if isinstance(event, BudgetThresholdCrossed):
        return Notice(
            kind=NotificationKind.BUDGET_THRESHOLD,
            params={
                "budget_id": str(event.budget_id),
                "budget_name": event.budget_name,
                "threshold": str(event.threshold),
                "spent": event.spent,
                "limit": event.limit,
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
    if isinstance(event, ForecastShortfall):
        return Notice(
            kind=NotificationKind.FORECAST_SHORTFALL,
            params={
                "account_id": str(event.account_id),
                "account_name": event.account_name,
                "balance": event.lowest,
                "currency": event.currency,
                "due_on": event.first_on.isoformat(),
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


# Title and body per kind; the named values are filled when shown (texts.py).
TEXTS = {
    NotificationKind.ACCOUNT_OVERDRAWN: (
        gettext_noop("%(account)s is overdrawn"),
        gettext_noop("The balance of %(account)s is now %(balance)s."),
    ),
    NotificationKind.EXPORT_READY: (
        gettext_noop("Your data export is ready"),
        gettext_noop("Download it from the Your data page within 7 days."),
    ),
    NotificationKind.BUDGET_THRESHOLD: (
        gettext_noop("%(budget)s has reached %(threshold)s%% of its limit"),
        gettext_noop("You have spent %(spent)s of %(limit)s this period."),
    ),
    NotificationKind.BILL_OVERDUE: (
        gettext_noop("%(bill)s is overdue"),
        gettext_noop(
            "%(bill)s, %(amount)s, was due on %(due_on)s and is not paid yet."
        ),
    ),
    NotificationKind.FORECAST_SHORTFALL: (
        gettext_noop("%(account)s is forecast to go below zero"),
        gettext_noop(
            "With your recurring transactions and bills, %(account)s goes below zero "
            "on %(due_on)s and reaches %(balance)s at its lowest in the next 30 days."
        ),
    ),
}
