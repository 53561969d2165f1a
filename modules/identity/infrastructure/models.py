"""Tables of people, their tenants, preferences, sign-in failures and the audit trail."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.identity.application.ports import AuditAction
from modules.identity.domain.members import (
    DEFAULT_CURRENCY,
    DEFAULT_LOCALE,
    normalize_email,
)
from modules.shared.domain.notifications import EMAIL_BY_DEFAULT
from modules.shared.infrastructure.tenancy import TenantManager, TenantOwnedModel


class Tenant(models.Model):
    """The owner of a person's data; every tenant-owned row points here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return str(self.id)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        from modules.identity.infrastructure.tenants import announce_new_tenant

        new_tenant = "tenant" not in extra
        tenant = extra.pop("tenant", None) or Tenant.objects.create()
        user = self.model(email=normalize_email(email), tenant=tenant, **extra)
        user.set_password(password)
        user.save(using=self._db)
        profile = Profile.all_tenants.create(tenant=tenant, user=user)
        if new_tenant:
            announce_new_tenant(tenant.id, locale=profile.locale)
        return user

    def create_superuser(
        self, email: str, password: str | None = None, **extra: Any
    ) -> User:
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in by email; usernames do not exist here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    tenant = models.ForeignKey(
        Tenant, on_delete=models.PROTECT, related_name="users", verbose_name=_("tenant")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    email_verified_at = models.DateTimeField(_("email verified"), null=True, blank=True)
    accepted_terms_at = models.DateTimeField(_("accepted terms"), null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ("-date_joined",)

    def __str__(self) -> str:
        return self.email

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None


def default_email_notifications() -> list[str]:
    return sorted(kind.value for kind in EMAIL_BY_DEFAULT)


class Profile(TenantOwnedModel):
    """A person's preferences: language, time zone, currency and consents."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    locale = models.CharField(_("language"), max_length=8, default=DEFAULT_LOCALE)
    timezone = models.CharField(_("time zone"), max_length=64, default="UTC")
    base_currency = models.CharField(
        _("base currency"), max_length=3, default=DEFAULT_CURRENCY
    )
    notify_by_email = models.BooleanField(_("email notifications"), default=True)
    email_notifications = models.JSONField(
        _("notifications also sent by email"), default=default_email_notifications
    )
    marketing_consent = models.BooleanField(_("marketing emails"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "user"), name="profile_tenant_user"
            )
        ]


class FailedLogin(models.Model):
    """Consecutive failed sign-ins per address, keyed by a keyed hash of the address."""

    email_digest = models.CharField(max_length=64, primary_key=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.failures} failures"


AUDIT_LABELS = {
    AuditAction.REGISTERED: _("Signed up"),
    AuditAction.EMAIL_VERIFIED: _("Verified email"),
    AuditAction.LOGIN_SUCCEEDED: _("Signed in"),
    AuditAction.LOGIN_FAILED: _("Failed sign-in"),
    AuditAction.LOCKED_OUT: _("Locked out"),
    AuditAction.LOGGED_OUT: _("Signed out"),
    AuditAction.PASSWORD_RESET_REQUESTED: _("Asked for a password reset"),
    AuditAction.PASSWORD_CHANGED: _("Changed password"),
    AuditAction.PREFERENCES_CHANGED: _("Changed preferences"),
    AuditAction.ADMIN_CHANGE: _("Change in the admin"),
    AuditAction.EXPORT_REQUESTED: _("Asked for a data export"),
    AuditAction.EXPORT_DOWNLOADED: _("Downloaded a data export"),
    AuditAction.SESSION_REVOKED: _("Signed a device out"),
    AuditAction.TOTP_ENABLED: _("Turned on two-step sign-in"),
    AuditAction.TOTP_DISABLED: _("Turned off two-step sign-in"),
    AuditAction.RECOVERY_CODE_USED: _("Signed in with a recovery code"),
    AuditAction.EMAIL_CHANGE_REQUESTED: _("Asked to change the sign-in address"),
    AuditAction.EMAIL_CHANGED: _("Changed the sign-in address"),
    AuditAction.EMAIL_CHANGE_REVERTED: _("Undid a change of sign-in address"),
    AuditAction.ACCOUNT_CLOSED: _("Closed the account"),
    AuditAction.ACCOUNT_REOPENED: _("Reopened the account"),
    AuditAction.TENANT_ERASED: _("An account's data was erased"),
}


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    """Who did what, when, for which tenant: written once, never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    action = models.CharField(
        _("what"), max_length=64, choices=list(AUDIT_LABELS.items())
    )
    actor_id = models.UUIDField(_("who"), null=True, blank=True, db_index=True)
    tenant_id = models.UUIDField(_("tenant"), null=True, blank=True)
    correlation_id = models.CharField(_("correlation id"), max_length=128, blank=True)
    metadata = models.JSONField(_("details"), default=dict, blank=True)

    objects = TenantManager()
    all_tenants = models.Manager()  # noqa: DJ012

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ("-occurred_at",)
        indexes = [
            models.Index(
                fields=("tenant_id", "-occurred_at"), name="audit_tenant_recent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.action} @ {self.occurred_at:%Y-%m-%d %H:%M:%S}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit events are append-only")


class RevokedTokenFamily(models.Model):
    """A sign-in's chain of refresh tokens, and every access token made from them,
    refused from now on (signed out, or a rotated refresh token used again)."""

    family = models.CharField(_("token family"), max_length=32, primary_key=True)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    revoked_at = models.DateTimeField(_("revoked"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=32)

    class Meta:
        verbose_name = _("revoked token family")
        verbose_name_plural = _("revoked token families")

    def __str__(self) -> str:
        return f"{self.family} ({self.reason})"


class SignIn(models.Model):
    """One signed-in device: a web session or an app's refresh-token family, with
    what the person needs to recognise it (ADR 0019)."""

    class Kind(models.TextChoices):
        WEB = "web", _("Browser")
        APP = "app", _("Mobile app or API")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # The session key or the token family: a secret of the device, never shown.
    key = models.CharField(max_length=64, unique=True)
    # Sign-ins made under an older password are gone (ADR 0014): this tells them apart.
    password_fingerprint = models.CharField(max_length=64)
    device = models.CharField(_("device"), max_length=120, blank=True)
    place = models.CharField(_("approximate place"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("signed in"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), default=timezone.now)

    class Meta:
        verbose_name = _("signed-in device")
        verbose_name_plural = _("signed-in devices")
        ordering = ("-last_used_at",)
        indexes = [models.Index(fields=("user", "-last_used_at"), name="signin_user")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.device}"


class TotpDevice(models.Model):
    """A person's authenticator app; on once a first code confirmed it."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="totp",
        verbose_name=_("user"),
    )
    secret = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("turned on"), null=True, blank=True)
    # The time step of the last code accepted: a code is good once (no replay).
    last_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    def __str__(self) -> str:
        return str(self.user_id)


class RecoveryCode(models.Model):
    """A single-use code for signing in without the authenticator; kept hashed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return str(self.id)


class EmailChange(models.Model):
    """A change of sign-in address: asked, confirmed from the new address, perhaps
    reverted from the old one."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    old_email = models.EmailField(_("old address"))
    new_email = models.EmailField(_("new address"))
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    reverted_at = models.DateTimeField(_("reverted"), null=True, blank=True)

    class Meta:
        verbose_name = _("email change")
        verbose_name_plural = _("email changes")
        ordering = ("-requested_at",)

    def __str__(self) -> str:
        return str(self.id)


class Consent(TenantOwnedModel):
    """A consent given or withdrawn: the terms at sign-up, marketing emails later."""

    class Kind(models.TextChoices):
        TERMS = "terms", _("Terms of service")
        MARKETING = "marketing", _("Marketing emails")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    version = models.CharField(_("version"), max_length=32, blank=True)
    granted = models.BooleanField(_("given"))
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ("-occurred_at",)
        indexes = [
            models.Index(fields=("tenant", "-occurred_at"), name="consent_recent")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.granted}"
