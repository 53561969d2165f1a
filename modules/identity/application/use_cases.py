"""Sign-up, verification, sign-in (with its second step), lockout and password reset."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from uuid import UUID

from modules.identity.application.ports import (
    AccountMail,
    AuditAction,
    ConsentKind,
    UnitOfWork,
)
from modules.identity.domain.exceptions import (
    EmailAlreadyRegistered,
    EmailNotVerified,
    InvalidCredentials,
    InvalidLink,
    SecondFactorRequired,
    TermsNotAccepted,
    TooManyFailedLogins,
    WrongCode,
    WrongPassword,
)
from modules.identity.domain.lockout import LockoutPolicy
from modules.identity.domain.members import Member, Preferences, normalize_email
from modules.shared.application.commands import (
    UNCHANGED,
    Unchanged,
    changed_fields,
    given,
)
from modules.shared.domain.errors import DomainError
from modules.shared.domain.text import gettext_noop

INVALID_LINK = gettext_noop("This link is invalid or has expired.")
WRONG_CODE = gettext_noop("That code is not right. Try again.")


@dataclass(frozen=True, kw_only=True)
class Registration:
    email: str
    password: str
    accepted_terms: bool
    preferences: Preferences


def register_member(*, uow: UnitOfWork, command: Registration) -> UUID:
    """Create the person and their tenant; send the verification email after commit.

    The answer does not tell whether the address is registered (issue 14): for a
    taken address its owner is mailed instead (a new verification link if it is
    still unverified), the password is hashed all the same, and the id returned
    is a fresh one that names nobody."""
    if not command.accepted_terms:
        raise TermsNotAccepted(gettext_noop("You must accept the terms to sign up."))
    email = normalize_email(command.email)
    with uow:
        owner = uow.members.find_by_email(email)
        if owner is None:
            try:
                member = uow.members.create_member(
                    email=email,
                    password=command.password,
                    preferences=command.preferences,
                    now=uow.clock.now(),
                )
            except EmailAlreadyRegistered:  # signed up a moment ago, concurrently
                owner = uow.members.find_by_email(email)
            else:
                uow.audit.record(
                    AuditAction.REGISTERED,
                    actor_id=member.id,
                    tenant_id=member.tenant_id,
                )
                _record_sign_up_consents(uow, member, command)
                uow.mailer.send(AccountMail.VERIFY_EMAIL, member)
                return member.id
        uow.members.password_matches(None, command.password)  # the same hashing cost
        if owner is not None and owner.is_active:
            kind = (
                AccountMail.ALREADY_REGISTERED
                if owner.email_verified
                else AccountMail.VERIFY_EMAIL
            )
            uow.mailer.send(kind, owner)
    return uuid.uuid4()


def _record_sign_up_consents(
    uow: UnitOfWork, member: Member, command: Registration
) -> None:
    now = uow.clock.now()
    uow.members.record_consent(member, kind=ConsentKind.TERMS, granted=True, now=now)
    if command.preferences.marketing_consent:
        uow.members.record_consent(
            member, kind=ConsentKind.MARKETING, granted=True, now=now
        )


def resend_verification(*, uow: UnitOfWork, email: str) -> None:
    """Send a fresh link to an unverified address; silent for any other address."""
    with uow:
        member = uow.members.find_by_email(normalize_email(email))
        if member is not None and not member.email_verified and member.is_active:
            uow.mailer.send(AccountMail.VERIFY_EMAIL, member)


def verify_email(*, uow: UnitOfWork, token: str) -> Member:
    with uow:
        member_id = uow.tokens.read(AccountMail.VERIFY_EMAIL, token)
        member = uow.members.get(member_id) if member_id else None
        if member is None or member.email_verified:
            raise InvalidLink(INVALID_LINK)
        uow.members.mark_email_verified(member.id, uow.clock.now())
        uow.audit.record(
            AuditAction.EMAIL_VERIFIED, actor_id=member.id, tenant_id=member.tenant_id
        )
    return member


def authenticate_member(
    *,
    uow: UnitOfWork,
    email: str,
    password: str,
    policy: LockoutPolicy,
    surface: str,
    otp: str | None = None,
) -> Member:
    """Check a password, counting failures per address whether or not it is
    registered; a person with two-step sign-in on needs a good `otp` too
    (`SecondFactorRequired` without one)."""
    email = normalize_email(email)
    with uow:
        now = uow.clock.now()
        attempts = uow.failed_logins.load(email)
        member = uow.members.find_by_email(email)
        if attempts.is_locked(now):
            raise _locked(attempts.seconds_left(now))
        password_ok = uow.members.password_matches(
            member.id if member else None, password
        )
        if member is None or not member.is_active or not password_ok:
            return _refuse(
                uow=uow, email=email, member=member, policy=policy, surface=surface
            )
        if not member.email_verified:
            raise EmailNotVerified(
                gettext_noop("Please verify your email address before signing in.")
            )
        if uow.second_factor.is_on(member.id):
            if not otp:
                raise SecondFactorRequired(SECOND_FACTOR_NEEDED)
            check_second_factor(
                uow=uow, email=email, member=member, code=otp, policy=policy,
                surface=surface,
            )  # fmt: skip
        _signed_in(uow=uow, email=email, member=member, surface=surface)
    return member


SECOND_FACTOR_NEEDED = gettext_noop(
    "Enter the code from your authenticator app to finish signing in."
)


def confirm_second_factor(
    *,
    uow: UnitOfWork,
    member_id: UUID,
    code: str,
    policy: LockoutPolicy,
    surface: str,
    signing_in: bool = True,
) -> Member:
    """The second step of a web sign-in whose password was already right, or
    (`signing_in=False`) of a signed-in staff member on their way to the admin,
    which is no new sign-in: only a wrong code is recorded."""
    with uow:
        now = uow.clock.now()
        member = uow.members.get(member_id)
        email = uow.members.email_of(member_id) if member else None
        if member is None or email is None or not member.is_active:
            raise InvalidLink(INVALID_LINK)
        attempts = uow.failed_logins.load(email)
        if attempts.is_locked(now):
            raise _locked(attempts.seconds_left(now))
        check_second_factor(
            uow=uow, email=email, member=member, code=code, policy=policy,
            surface=surface,
        )  # fmt: skip
        if signing_in:
            _signed_in(uow=uow, email=email, member=member, surface=surface)
    return member


def check_second_factor(
    *,
    uow: UnitOfWork,
    email: str,
    member: Member,
    code: str,
    policy: LockoutPolicy,
    surface: str,
) -> None:
    used = uow.second_factor.check(member.id, code, uow.clock.now())
    if used is None:
        _refuse(
            uow=uow,
            email=email,
            member=member,
            policy=policy,
            surface=surface,
            refusal=WrongCode.for_field("otp", WRONG_CODE, code="invalid"),
        )
    if used == "recovery":
        uow.audit.record(
            AuditAction.RECOVERY_CODE_USED,
            actor_id=member.id,
            tenant_id=member.tenant_id,
            metadata={"surface": surface},
        )


def _signed_in(*, uow: UnitOfWork, email: str, member: Member, surface: str) -> None:
    uow.failed_logins.clear(email)
    uow.audit.record(
        AuditAction.LOGIN_SUCCEEDED,
        actor_id=member.id,
        tenant_id=member.tenant_id,
        metadata={"surface": surface},
    )


def _refuse(
    *,
    uow: UnitOfWork,
    email: str,
    member: Member | None,
    policy: LockoutPolicy,
    surface: str,
    refusal: DomainError | None = None,
) -> Member:
    now = uow.clock.now()
    attempts = uow.failed_logins.load(email).after_failure(now=now, policy=policy)
    uow.failed_logins.save(email, attempts)
    actor = {"actor_id": member.id, "tenant_id": member.tenant_id} if member else {}
    uow.audit.record(AuditAction.LOGIN_FAILED, metadata={"surface": surface}, **actor)
    if attempts.is_locked(now):
        uow.audit.record(AuditAction.LOCKED_OUT, metadata={"surface": surface}, **actor)
        if member is not None:
            uow.sockets.close_all(member.id, reason="locked")
        uow.commit()
        raise _locked(attempts.seconds_left(now))
    uow.commit()
    raise refusal or InvalidCredentials(gettext_noop("Email or password is incorrect."))


def _locked(seconds: int) -> TooManyFailedLogins:
    return TooManyFailedLogins(
        gettext_noop("Too many failed sign-in attempts. Please try again later."),
        retry_after_seconds=seconds,
    )


def request_password_reset(*, uow: UnitOfWork, email: str) -> None:
    """Mail a reset link if the address is registered; the caller answers the same either way."""
    with uow:
        member = uow.members.find_by_email(normalize_email(email))
        if member is None or not member.is_active:
            return
        uow.audit.record(
            AuditAction.PASSWORD_RESET_REQUESTED,
            actor_id=member.id,
            tenant_id=member.tenant_id,
        )
        uow.mailer.send(AccountMail.RESET_PASSWORD, member)


def member_for_reset_token(*, uow: UnitOfWork, token: str) -> Member:
    with uow:
        member_id = uow.tokens.read(AccountMail.RESET_PASSWORD, token)
        member = uow.members.get(member_id) if member_id else None
        if member is None or not member.is_active:
            raise InvalidLink(INVALID_LINK)
    return member


def reset_password(*, uow: UnitOfWork, token: str, new_password: str) -> Member:
    """Set a new password from an emailed link; the link stops working once used."""
    member = member_for_reset_token(uow=uow, token=token)
    with uow:
        uow.members.set_password(member.id, new_password)
        uow.failed_logins.clear_for_member(member.id)
        uow.audit.record(
            AuditAction.PASSWORD_CHANGED,
            actor_id=member.id,
            tenant_id=member.tenant_id,
            metadata={"via": "reset"},
        )
        uow.sockets.close_all(member.id, reason="password_changed")
        uow.mailer.send(AccountMail.PASSWORD_CHANGED, member)
    return member


@dataclass(frozen=True, kw_only=True)
class Proof:
    """What a signed-in person gives before a sensitive change: the current
    password and, where asked for, a code; `field` names the password's field."""

    password: str
    field: str
    policy: LockoutPolicy
    surface: str
    otp: str | None = None
    needs_code: bool = False


def check_it_is_them(*, uow: UnitOfWork, member: Member, proof: Proof) -> None:
    """A wrong password (or code) counts towards the same lockout as a failed
    sign-in of the person's address, and a locked address is refused here too, so
    a stolen session cannot guess the password (or the code) without limit. Call
    it inside the use case's unit of work, before anything else is written."""
    email = uow.members.email_of(member.id) or ""
    now = uow.clock.now()
    attempts = uow.failed_logins.load(email)
    if attempts.is_locked(now):
        raise _locked(attempts.seconds_left(now))
    if not uow.members.password_matches(member.id, proof.password):
        _refuse(
            uow=uow, email=email, member=member, policy=proof.policy,
            surface=proof.surface, refusal=wrong_password(proof.field),
        )  # fmt: skip
    if proof.needs_code and uow.second_factor.is_on(member.id):
        check_second_factor(
            uow=uow, email=email, member=member, code=proof.otp or "",
            policy=proof.policy, surface=proof.surface,
        )  # fmt: skip


def change_password(
    *, uow: UnitOfWork, member_id: UUID, proof: Proof, new_password: str
) -> Member:
    """A signed-in person's new password: every other sign-in ends with the old one
    (ADR 0014, 0019); the person is told by email."""
    with uow:
        member = uow.members.get(member_id)
        if member is None:
            raise wrong_password(proof.field)
        check_it_is_them(uow=uow, member=member, proof=proof)
        uow.members.set_password(member_id, new_password)
        uow.audit.record(
            AuditAction.PASSWORD_CHANGED,
            actor_id=member.id,
            tenant_id=member.tenant_id,
            metadata={"via": "settings"},
        )
        uow.sockets.close_all(member.id, reason="password_changed")
        uow.mailer.send(AccountMail.PASSWORD_CHANGED, member)
    return member


def wrong_password(field: str) -> WrongPassword:
    return WrongPassword.for_field(
        field, gettext_noop("Your current password is not right."), code="invalid"
    )


def record_logout(
    *, uow: UnitOfWork, member_id: UUID, tenant_id: UUID, surface: str
) -> None:
    with uow:
        uow.audit.record(
            AuditAction.LOGGED_OUT,
            actor_id=member_id,
            tenant_id=tenant_id,
            metadata={"surface": surface},
        )
        uow.sockets.close_all(member_id, reason="signed_out")


@dataclass(frozen=True, kw_only=True)
class UpdatePreferences:
    """Change a person's language, time zone, currency or consents; what is left
    `UNCHANGED` stays as it is."""

    member_id: UUID
    tenant_id: UUID
    locale: str | Unchanged = UNCHANGED
    timezone: str | Unchanged = UNCHANGED
    base_currency: str | Unchanged = UNCHANGED
    notify_by_email: bool | Unchanged = UNCHANGED
    email_notifications: Collection[str] | Unchanged = UNCHANGED
    marketing_consent: bool | Unchanged = UNCHANGED

    def applied_to(self, current: Preferences) -> Preferences:
        kinds = self.email_notifications
        return Preferences(
            locale=given(self.locale, current.locale),
            timezone=given(self.timezone, current.timezone),
            base_currency=given(self.base_currency, current.base_currency),
            notify_by_email=given(self.notify_by_email, current.notify_by_email),
            email_notifications=(
                current.email_notifications if kinds is UNCHANGED else frozenset(kinds)
            ),
            marketing_consent=given(self.marketing_consent, current.marketing_consent),
        )


def update_preferences(*, uow: UnitOfWork, command: UpdatePreferences) -> None:
    """Save what the command sets; the audit trail names those fields (consents
    included), and a command that sets nothing writes nothing."""
    changed = changed_fields(command)
    if not changed:
        return
    with uow:
        current = uow.members.preferences(command.member_id)
        wanted = command.applied_to(current)
        uow.members.save_preferences(command.member_id, wanted)
        if wanted.marketing_consent != current.marketing_consent:
            member = uow.members.get(command.member_id)
            if member is not None:
                uow.members.record_consent(
                    member,
                    kind=ConsentKind.MARKETING,
                    granted=wanted.marketing_consent,
                    now=uow.clock.now(),
                )
        uow.audit.record(
            AuditAction.PREFERENCES_CHANGED,
            actor_id=command.member_id,
            tenant_id=command.tenant_id,
            metadata={"fields": ",".join(sorted(changed))},
        )


def record_sign_ins_ended(
    *, uow: UnitOfWork, member: Member, count: int, surface: str
) -> None:
    """Devices signed out from the list: audited, and the person's sockets closed
    (the devices still signed in reconnect at once)."""
    if not count:
        return
    with uow:
        uow.audit.record(
            AuditAction.SESSION_REVOKED,
            actor_id=member.id,
            tenant_id=member.tenant_id,
            metadata={"surface": surface, "count": str(count)},
        )
        uow.sockets.close_all(member.id, reason="session_revoked")
