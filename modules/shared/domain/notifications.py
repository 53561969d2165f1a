"""The kinds of in-app notification; a person chooses which of them also email."""

from __future__ import annotations

from enum import StrEnum

from modules.shared.domain.text import gettext_noop


class NotificationKind(StrEnum):
    ACCOUNT_OVERDRAWN = "account_overdrawn"
    BUDGET_THRESHOLD = "budget_threshold"
    BILL_OVERDUE = "bill_overdue"
    FORECAST_SHORTFALL = "forecast_shortfall"
    EXPORT_READY = "export_ready"


KIND_VALUES = [kind.value for kind in NotificationKind]

# What each kind is called where a person chooses (settings page, API docs).
KIND_LABELS = {
    NotificationKind.ACCOUNT_OVERDRAWN: gettext_noop(
        "An account's balance drops below zero"
    ),
    NotificationKind.BUDGET_THRESHOLD: gettext_noop(
        "A budget nears or passes its limit"
    ),
    NotificationKind.BILL_OVERDUE: gettext_noop("A bill is overdue"),
    NotificationKind.FORECAST_SHORTFALL: gettext_noop(
        "An account is forecast to go below zero or your buffer"
    ),
}

EMAIL_BY_DEFAULT = frozenset({NotificationKind.ACCOUNT_OVERDRAWN})

# Answers to something the person asked for: always emailed, so not a choice.
ALWAYS_EMAILED = frozenset({NotificationKind.EXPORT_READY})

# The kinds a person may choose to get by email (settings page, `PATCH /api/v1/me`).
CHOOSABLE_KIND_VALUES = [kind.value for kind in KIND_LABELS]
