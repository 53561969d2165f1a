"""A person's profile, consents and own security events, for their export."""

from __future__ import annotations

from collections.abc import Iterator

from modules.identity.infrastructure.models import AuditEvent, Consent, Profile
from modules.shared.application.exports import ExportSection, Row

PROFILE_COLUMNS = (
    "email", "date_joined", "email_verified_at", "accepted_terms_at", "locale",
    "timezone", "base_currency", "notify_by_email", "email_notifications",
    "marketing_consent", "updated_at",
)  # fmt: skip
_USER_FIELDS = {"email", "date_joined", "email_verified_at", "accepted_terms_at"}
EVENT_COLUMNS = ("occurred_at", "action", "metadata")
CONSENT_COLUMNS = ("occurred_at", "kind", "version", "granted")


def export_sections() -> list[ExportSection]:
    profiles = Profile.objects.select_related("user").order_by("user__date_joined")
    events = AuditEvent.objects.order_by("occurred_at", "id")
    consents = Consent.objects.order_by("occurred_at", "id")

    def profile_rows() -> Iterator[Row]:
        for profile in profiles:
            yield {
                column: getattr(
                    profile.user if column in _USER_FIELDS else profile, column
                )
                for column in PROFILE_COLUMNS
            }

    def event_rows() -> Iterator[Row]:
        yield from events.values(*EVENT_COLUMNS).iterator(chunk_size=2000)

    def consent_rows() -> Iterator[Row]:
        yield from consents.values(*CONSENT_COLUMNS).iterator(chunk_size=2000)

    return [
        ExportSection(
            name="profile",
            columns=PROFILE_COLUMNS,
            rows=profile_rows,
            count=profiles.count,
        ),
        ExportSection(
            name="consents",
            columns=CONSENT_COLUMNS,
            rows=consent_rows,
            count=consents.count,
        ),
        ExportSection(
            name="security_events",
            columns=EVENT_COLUMNS,
            rows=event_rows,
            count=events.count,
        ),
    ]
