"""When an event deserves a notification, and what it says."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from modules.shared.domain.notifications import NotificationKind
from modules.shared.domain.text import gettext_noop


@dataclass(frozen=True)
class Notice:
    kind: NotificationKind
    params: dict[str, str]


def notice_for(event_type: str, data: dict[str, Any]) -> Notice | None:
    """The notification an event calls for, if any."""
    if event_type == "balance.updated" and _went_overdrawn(data):
        return Notice(
            kind=NotificationKind.ACCOUNT_OVERDRAWN,
            params={
                "account_id": data["account_id"],
                "account_name": data.get("account_name", ""),
                "balance": data["balance"],
                "currency": data["currency"],
            },
        )
    return None


def _went_overdrawn(data: dict[str, Any]) -> bool:
    """An asset account crossing from zero or more to below zero."""
    return (
        data.get("account_class") == "asset"
        and Decimal(data["previous_balance"]) >= 0
        and Decimal(data["balance"]) < 0
    )


# Title and body per kind; `{account}` and `{balance}` are filled when shown.
TEXTS = {
    NotificationKind.ACCOUNT_OVERDRAWN: (
        gettext_noop("%(account)s is overdrawn"),
        gettext_noop("The balance of %(account)s is now %(balance)s."),
    ),
}
