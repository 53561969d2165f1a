"""Security events, revoked sign-ins, expired tokens and web sessions: each kept
for its period (shared.domain.retention), then deleted."""

from __future__ import annotations

from importlib import import_module

from django.conf import settings
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from modules.identity.infrastructure.models import AuditEvent, RevokedTokenFamily
from modules.shared.domain.retention import Kept, kept_for


def purge_audit_events() -> int:
    """On PostgreSQL the append-only trigger lets only events past this age go."""
    cutoff = timezone.now() - kept_for(Kept.AUDIT_EVENTS)
    old = AuditEvent.all_tenants.filter(occurred_at__lt=cutoff)
    return int(old._raw_delete(old.db))


def purge_revoked_sign_ins() -> int:
    """A revoked family outlives its last refresh token, then goes; so do refresh
    tokens past their expiry (and their blacklist entries with them)."""
    now = timezone.now()
    families = RevokedTokenFamily.objects.filter(
        revoked_at__lt=now - kept_for(Kept.REVOKED_SIGN_INS)
    )
    deleted, _ = families.delete()
    expired, _ = OutstandingToken.objects.filter(expires_at__lt=now).delete()
    return int(deleted + expired)


def purge_expired_sessions() -> None:
    """Web sessions past their expiry (Django's `clearsessions`)."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
