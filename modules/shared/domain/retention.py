"""How long each kind of data is kept (ADR 0020): one table, read by the purge of
each module and by the privacy page that states it."""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class Kept(StrEnum):
    OUTBOX_EVENTS = "outbox_events"
    NOTIFICATIONS = "notifications"
    IDEMPOTENCY_KEYS = "idempotency_keys"
    AUDIT_EVENTS = "audit_events"
    EXPORT_FILES = "export_files"
    EXPORT_RECORDS = "export_records"
    REVOKED_SIGN_INS = "revoked_sign_ins"
    CLOSED_ACCOUNTS = "closed_accounts"


RETENTION: dict[Kept, timedelta] = {
    # The live feed resumes from any event of the last 30 days (published ones).
    Kept.OUTBOX_EVENTS: timedelta(days=30),
    Kept.NOTIFICATIONS: timedelta(days=180),
    # API.md: keys live at least 24 h; two days covers any retry.
    Kept.IDEMPOTENCY_KEYS: timedelta(hours=48),
    # Security events: a year, so a person (and support) can see what happened.
    Kept.AUDIT_EVENTS: timedelta(days=365),
    # A finished export may be downloaded for 7 days, then its file is deleted...
    Kept.EXPORT_FILES: timedelta(days=7),
    # ...and the record that it was asked for goes after 90 days.
    Kept.EXPORT_RECORDS: timedelta(days=90),
    # A revoked sign-in must outlive its last refresh token (7 days).
    Kept.REVOKED_SIGN_INS: timedelta(days=7),
    # A closed account is erased once its grace period ends (at most 30 days).
    Kept.CLOSED_ACCOUNTS: timedelta(days=30),
}


def kept_for(kind: Kept) -> timedelta:
    return RETENTION[kind]
