"""Notifications are kept for a while, read or not, then deleted."""

from __future__ import annotations

from django.utils import timezone

from modules.notifications.infrastructure.models import Notification
from modules.shared.domain.retention import Kept, kept_for


def purge_old_notifications() -> int:
    """A maintenance path across tenants, by age only."""
    cutoff = timezone.now() - kept_for(Kept.NOTIFICATIONS)
    old = Notification.all_tenants.filter(created_at__lt=cutoff)
    return int(old._raw_delete(old.db))
