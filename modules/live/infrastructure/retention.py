"""Outbox events are kept for the live feed's resume window, then deleted."""

from __future__ import annotations

from django.utils import timezone

from modules.live.infrastructure.models import OutboxEvent, OutboxStatus
from modules.shared.domain.retention import Kept, kept_for


def purge_outbox_events() -> int:
    """Delivered (or dead) events older than their period; a pending one stays
    until it is delivered. A maintenance path across tenants, by age only."""
    cutoff = timezone.now() - kept_for(Kept.OUTBOX_EVENTS)
    old = OutboxEvent.all_tenants.filter(occurred_at__lt=cutoff).exclude(
        status=OutboxStatus.PENDING
    )
    return int(old._raw_delete(old.db))
