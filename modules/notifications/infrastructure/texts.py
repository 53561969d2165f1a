"""A notification in words, in the reader's language."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext

from modules.notifications.domain.rules import TEXTS
from modules.shared.domain.money import Money
from modules.shared.domain.notifications import NotificationKind


def title_and_body(kind: str, params: dict[str, Any]) -> tuple[str, str]:
    """Rendered in the active language."""
    title, body = TEXTS[NotificationKind(kind)]
    values = {
        "account": params.get("account_name") or gettext("An account"),
        "balance": _amount(params, "balance"),
        "budget": params.get("budget_name") or gettext("A budget"),
        "threshold": params.get("threshold", ""),
        "spent": _amount(params, "spent"),
        "limit": _amount(params, "limit"),
        "bill": params.get("bill_name") or gettext("A bill"),
        "amount": _amount(params, "amount"),
        "due_on": _date(params.get("due_on")),
    }
    return gettext(title) % values, gettext(body) % values


def _amount(params: dict[str, Any], name: str) -> str:
    if name not in params:
        return ""
    money = Money.parse(params[name], params["currency"], signed=True)
    return money.format(translation.get_language() or "en")


def _date(text: str | None) -> str:
    return formats.date_format(date.fromisoformat(text)) if text else ""
