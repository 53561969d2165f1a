"""The kinds of in-app notification; a person chooses which of them also email."""

from __future__ import annotations

from enum import StrEnum

from modules.shared.domain.text import gettext_noop


class NotificationKind(StrEnum):
    ACCOUNT_OVERDRAWN = "account_overdrawn"


KIND_VALUES = [kind.value for kind in NotificationKind]

# What each kind is called where a person chooses (settings page, API docs).
KIND_LABELS = {
    NotificationKind.ACCOUNT_OVERDRAWN: gettext_noop(
        "An account's balance drops below zero"
    ),
}

EMAIL_BY_DEFAULT = frozenset({NotificationKind.ACCOUNT_OVERDRAWN})
