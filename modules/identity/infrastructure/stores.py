"""Django implementations of the identity ports."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils.crypto import constant_time_compare
from rest_framework_simplejwt.token_blacklist.models import (
    BlacklistedToken,
    OutstandingToken,
)

from modules.identity.application.ports import AccountMail, AuditAction, ConsentKind
from modules.identity.domain.exceptions import EmailAlreadyRegistered
from modules.identity.domain.lockout import FailedLogins
from modules.identity.domain.members import Member, Preferences
from modules.identity.infrastructure.models import (
    AuditEvent,
    Consent,
    FailedLogin,
    Profile,
    Tenant,
    User,
)
from modules.identity.infrastructure.tenants import announce_new_tenant
from modules.shared.application.correlation import current_correlation_id
from modules.shared.domain.text import gettext_noop


def to_member(user: User) -> Member:
    profile = getattr(user, "profile", None)
    return Member(
        id=user.id,
        tenant_id=user.tenant_id,
        is_active=user.is_active,
        email_verified_at=user.email_verified_at,
        locale=profile.locale if profile else settings.LANGUAGE_CODE,
    )


class DjangoMemberStore:
    def create_member(
        self, *, email: str, password: str, preferences: Preferences, now: datetime
    ) -> Member:
        try:
            with transaction.atomic():
                tenant = Tenant.objects.create(created_at=now)
                user = User(
                    email=email, tenant=tenant, date_joined=now, accepted_terms_at=now
                )
                user.set_password(password)
                user.save()
        except IntegrityError:
            raise EmailAlreadyRegistered(
                gettext_noop("An account with this email already exists.")
            ) from None
        Profile.all_tenants.create(
            tenant=tenant,
            user=user,
            locale=preferences.locale,
            timezone=preferences.timezone,
            base_currency=preferences.base_currency,
            notify_by_email=preferences.notify_by_email,
            email_notifications=sorted(preferences.email_notifications),
            marketing_consent=preferences.marketing_consent,
        )
        announce_new_tenant(tenant.id, locale=preferences.locale)
        return to_member(user)

    def find_by_email(self, email: str) -> Member | None:
        user = User.objects.select_related("profile").filter(email=email).first()
        return to_member(user) if user else None

    def get(self, member_id: UUID) -> Member | None:
        user = User.objects.select_related("profile").filter(id=member_id).first()
        return to_member(user) if user else None

    def password_matches(self, member_id: UUID | None, password: str) -> bool:
        user = User.objects.filter(id=member_id).first() if member_id else None
        if user is None:
            make_password(password)  # same cost whether or not the address exists
            return False
        return user.check_password(password)

    def email_of(self, member_id: UUID) -> str | None:
        return User.objects.filter(id=member_id).values_list("email", flat=True).first()

    def record_consent(
        self, member: Member, *, kind: ConsentKind, granted: bool, now: datetime
    ) -> None:
        version = settings.TERMS_VERSION if kind is ConsentKind.TERMS else ""
        Consent.all_tenants.create(
            tenant_id=member.tenant_id,
            user_id=member.id,
            kind=kind.value,
            version=version,
            granted=granted,
            occurred_at=now,
        )

    def set_password(self, member_id: UUID, password: str) -> None:
        """A new password also signs the person out of every app session."""
        user = User.objects.get(id=member_id)
        user.set_password(password)
        user.save(update_fields=["password"])
        outstanding = OutstandingToken.objects.filter(user_id=member_id).exclude(
            blacklistedtoken__isnull=False
        )
        BlacklistedToken.objects.bulk_create(
            [BlacklistedToken(token=token) for token in outstanding],
            ignore_conflicts=True,
        )

    def mark_email_verified(self, member_id: UUID, now: datetime) -> None:
        User.objects.filter(id=member_id, email_verified_at__isnull=True).update(
            email_verified_at=now
        )

    def preferences(self, member_id: UUID) -> Preferences:
        """Locked until commit (PostgreSQL), so two saves cannot undo each other."""
        profile = Profile.objects.select_for_update(no_key=True).get(user_id=member_id)
        return Preferences(
            **{name: getattr(profile, name) for name in PREFERENCE_COLUMNS},
            email_notifications=frozenset(profile.email_notifications),
        )

    def save_preferences(self, member_id: UUID, preferences: Preferences) -> None:
        profile = Profile.objects.get(user_id=member_id)
        for name in PREFERENCE_COLUMNS:
            setattr(profile, name, getattr(preferences, name))
        profile.email_notifications = sorted(preferences.email_notifications)
        profile.save(
            update_fields=[*PREFERENCE_COLUMNS, "email_notifications", "updated_at"]
        )


PREFERENCE_COLUMNS = (
    "locale",
    "timezone",
    "base_currency",
    "notify_by_email",
    "marketing_consent",
)


def email_digest(email: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, email.encode(), hashlib.sha256).hexdigest()


class DjangoFailedLoginStore:
    def load(self, email: str) -> FailedLogins:
        row = FailedLogin.objects.filter(email_digest=email_digest(email)).first()
        if row is None:
            return FailedLogins()
        return FailedLogins(failures=row.failures, locked_until=row.locked_until)

    def save(self, email: str, state: FailedLogins) -> None:
        FailedLogin.objects.update_or_create(
            email_digest=email_digest(email),
            defaults={"failures": state.failures, "locked_until": state.locked_until},
        )

    def clear(self, email: str) -> None:
        FailedLogin.objects.filter(email_digest=email_digest(email)).delete()

    def clear_for_member(self, member_id: UUID) -> None:
        email = DjangoMemberStore().email_of(member_id)
        if email:
            self.clear(email)


class SignedLinkTokens:
    """Signed, timestamped tokens bound to state that changes once the link is used
    (verification time, password hash), so every link works once and then expires."""

    max_age = {
        AccountMail.VERIFY_EMAIL: lambda: settings.EMAIL_VERIFICATION_MAX_AGE,
        AccountMail.RESET_PASSWORD: lambda: settings.PASSWORD_RESET_TIMEOUT,
    }

    def make(self, purpose: AccountMail, member_id: UUID) -> str:
        user = User.objects.get(id=member_id)
        payload = {"m": str(user.id), "s": self._fingerprint(purpose, user)}
        return signing.dumps(payload, salt=self._salt(purpose), compress=True)

    def read(self, purpose: AccountMail, token: str) -> UUID | None:
        try:
            payload: dict[str, Any] = signing.loads(
                token, salt=self._salt(purpose), max_age=self.max_age[purpose]()
            )
            user = User.objects.get(id=UUID(str(payload["m"])))
        except (
            signing.BadSignature,
            KeyError,
            ValueError,
            TypeError,
            User.DoesNotExist,
        ):
            return None
        if not constant_time_compare(
            str(payload.get("s")), self._fingerprint(purpose, user)
        ):
            return None
        return user.id

    @staticmethod
    def _salt(purpose: AccountMail) -> str:
        return f"identity.{purpose.value}"

    @staticmethod
    def _fingerprint(purpose: AccountMail, user: User) -> str:
        if purpose is AccountMail.VERIFY_EMAIL:
            state = f"{user.email}|{user.email_verified_at}"
        else:
            state = f"{user.email}|{user.password}|{user.last_login}"
        return hashlib.sha256(state.encode()).hexdigest()[:24]


class DjangoAuditTrail:
    def record(
        self,
        action: AuditAction,
        *,
        actor_id: UUID | None = None,
        tenant_id: UUID | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        AuditEvent.all_tenants.create(
            action=action.value,
            actor_id=actor_id,
            tenant_id=tenant_id,
            correlation_id=current_correlation_id() or "",
            metadata=metadata or {},
        )
