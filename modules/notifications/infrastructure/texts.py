"""A notification in words, in the reader's language."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from modules.notifications.domain.rules import TEXTS
from modules.shared.domain.money import Money
from modules.shared.domain.notifications import NotificationKind


def title_and_body(kind: str, params: dict[str, Any]) -> tuple[str, str]:
    """Rendered in the active language."""
    title, body = TEXTS[NotificationKind(kind)]
    values = {
        "account": params.get("account_name") or gettext("An account"),
        "balance": _amount(params),
    }
    return gettext(title) % values, gettext(body) % values


def _amount(params: dict[str, Any]) -> str:
    if "balance" not in params:
        return ""
    money = Money.parse(params["balance"], params["currency"], signed=True)
    return money.format(translation.get_language() or "en")
