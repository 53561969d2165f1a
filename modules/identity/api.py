"""What other modules may use of identity: a tenant's people as notifications and
the home page see them. Everything else in `modules.identity` is private to it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from uuid import UUID

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from modules.identity.application.ports import AuditAction
from modules.identity.domain.members import DEFAULT_CURRENCY
from modules.identity.infrastructure.closure import (
    address_of as address_of,
)
from modules.identity.infrastructure.closure import (
    forget_sign_in_failures as forget_sign_in_failures,
)
from modules.identity.infrastructure.closure import (
    it_is_them as it_is_them,
)
from modules.identity.infrastructure.closure import (
    reopen_tenant as reopen_tenant,
)
from modules.identity.infrastructure.closure import (
    suspend_tenant as suspend_tenant,
)
from modules.identity.infrastructure.closure import (
    tenant_model as tenant_model,
)
from modules.identity.infrastructure.export import (
    export_sections as export_sections,
)
from modules.identity.infrastructure.models import AuditEvent, Profile
from modules.identity.infrastructure.retention import (
    purge_audit_events as purge_audit_events,
)
from modules.identity.infrastructure.retention import (
    purge_expired_sessions as purge_expired_sessions,
)
from modules.identity.infrastructure.retention import (
    purge_revoked_sign_ins as purge_revoked_sign_ins,
)
from modules.identity.infrastructure.stores import DjangoAuditTrail
from modules.identity.interfaces.api.views import Me as Me
from modules.identity.interfaces.web.forms import LinkTokenForm as LinkTokenForm
from modules.identity.interfaces.web.forms import NewPasswordForm as NewPasswordForm
from modules.identity.interfaces.web.forms import password_field as password_field
from modules.identity.interfaces.web.forms import (
    token_of_an_older_link as token_of_an_older_link,
)
from modules.shared.application.tenancy import current_tenant_id

SURFACE_LABELS = {
    "web": gettext_lazy("Website"),
    "api": gettext_lazy("Mobile app or API"),
    "admin": gettext_lazy("Administration"),
}


@dataclass(frozen=True, kw_only=True)
class EmailChoices:
    """The tenant owner's language and which notifications they want by email."""

    locale: str
    notify_by_email: bool
    email_kinds: frozenset[str]

    def wants(self, kind: str) -> bool:
        return self.notify_by_email and kind in self.email_kinds


def owner_email_choices() -> EmailChoices:
    """For the current tenant; a tenant without a profile gets English, no email."""
    profile = Profile.objects.order_by("user__date_joined").first()
    if profile is None:
        return EmailChoices(locale="en", notify_by_email=False, email_kinds=frozenset())
    return EmailChoices(
        locale=profile.locale,
        notify_by_email=profile.notify_by_email,
        email_kinds=frozenset(profile.email_notifications),
    )


@dataclass(frozen=True, kw_only=True)
class OwnerSettings:
    """The tenant owner's time zone and base currency."""

    time_zone: str
    base_currency: str


_remembered: ContextVar[dict[UUID, OwnerSettings] | None] = ContextVar(
    "remembered_owner_settings", default=None
)


@contextmanager
def owner_settings_read_once() -> Iterator[None]:
    """Within the block, `owner_settings` reads the database once per tenant: for a
    page that only reads, like the dashboard, where several modules each ask."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def owner_settings() -> OwnerSettings:
    """For the current tenant; one without a profile counts in UTC."""
    remembered = _remembered.get()
    if remembered is None:
        return _read_owner_settings()
    tenant_id = current_tenant_id()
    if tenant_id not in remembered:
        remembered[tenant_id] = _read_owner_settings()
    return remembered[tenant_id]


def _read_owner_settings() -> OwnerSettings:
    profile = (
        Profile.objects.order_by("user__date_joined")
        .only("timezone", "base_currency")
        .first()
    )
    if profile is None:
        return OwnerSettings(time_zone="UTC", base_currency=DEFAULT_CURRENCY)
    return OwnerSettings(
        time_zone=profile.timezone, base_currency=profile.base_currency
    )


def owner_time_zone() -> str:
    """The current tenant owner's time zone name (UTC when there is no profile)."""
    return owner_settings().time_zone


def email_recipients() -> list[tuple[str, str]]:
    """Address and language of the current tenant's active, verified people."""
    return [
        (profile.user.email, profile.locale)
        for profile in Profile.objects.select_related("user").filter(
            user__is_active=True, user__email_verified_at__isnull=False
        )
    ]


def profile_of(user_id: object) -> Profile:
    """The signed-in person's preferences (language, time zone, base currency)."""
    return Profile.objects.get(user_id=user_id)


def recent_security_events(limit: int) -> list[tuple[AuditEvent, str | Promise]]:
    """The current tenant's latest security events, each with where it came from."""
    return [(event, _surface_of(event)) for event in AuditEvent.objects.all()[:limit]]


def _surface_of(event: AuditEvent) -> str | Promise:
    metadata = event.metadata if isinstance(event.metadata, dict) else {}
    return SURFACE_LABELS.get(metadata.get("surface"), "")


def audit_privacy(action: AuditAction, *, actor_id: UUID) -> None:
    """A security event of the current tenant for one of the privacy actions."""
    DjangoAuditTrail().record(action, actor_id=actor_id, tenant_id=current_tenant_id())


def audit_erasure(*, rows: int, closed_on: str) -> None:
    """The one trace an erased tenant leaves: that an erasure happened, how many
    rows went, and the day the account was closed; nothing that names anyone."""
    DjangoAuditTrail().record(
        AuditAction.TENANT_ERASED,
        metadata={"rows": str(rows), "closed_on": closed_on},
    )
