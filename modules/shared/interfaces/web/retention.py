"""How long each kind of data is kept, as the privacy policy and the Your data
page state it: from the one table the purges read (shared.domain.retention)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from modules.shared.domain.retention import Kept, kept_for

RETENTION_LABELS: dict[Kept, Promise] = {
    Kept.OUTBOX_EVENTS: _("Live updates sent to your devices"),
    Kept.NOTIFICATIONS: _("Notifications"),
    Kept.IDEMPOTENCY_KEYS: _(
        "Records that stop a repeated app request being saved twice"
    ),
    Kept.AUDIT_EVENTS: _("Security events (sign-ins, changes, exports)"),
    Kept.EXPORT_FILES: _("Export files, for download"),
    Kept.EXPORT_RECORDS: _("The list of exports you asked for"),
    Kept.REVOKED_SIGN_INS: _("Signed-out app sessions, so they stay refused"),
    Kept.CLOSED_ACCOUNTS: _("Everything in a closed account, before it is erased"),
}


def retention_rows() -> list[tuple[Promise, str]]:
    """What we keep and for how long, in the reader's language; a closed account
    for the grace period this deployment sets (never above the table's)."""
    periods = {kind: kept_for(kind) for kind in RETENTION_LABELS}
    periods[Kept.CLOSED_ACCOUNTS] = min(
        periods[Kept.CLOSED_ACCOUNTS], settings.ACCOUNT_CLOSURE_GRACE
    )
    return [(label, _period(periods[kind])) for kind, label in RETENTION_LABELS.items()]


def _period(period: timedelta) -> str:
    if period.days:
        return ngettext("%(n)d day", "%(n)d days", period.days) % {"n": period.days}
    hours = period.seconds // 3600
    return ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
