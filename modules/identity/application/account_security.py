"""A signed-in person's own security: two-step sign-in and a change of address."""

from __future__ import annotations

from uuid import UUID

from modules.identity.application.ports import (
    AccountMail,
    AuditAction,
    TotpSetup,
    UnitOfWork,
)
from modules.identity.application.use_cases import (
    INVALID_LINK,
    WRONG_CODE,
    Proof,
    check_it_is_them,
    check_second_factor,
)
from modules.identity.domain.exceptions import (
    InvalidLink,
    SecondFactorAlreadyOn,
    WrongCode,
)
from modules.identity.domain.lockout import LockoutPolicy
from modules.identity.domain.members import Member, normalize_email
from modules.shared.domain.text import gettext_noop


def start_totp(*, uow: UnitOfWork, member_id: UUID) -> TotpSetup:
    """A secret for the authenticator app; nothing changes until it is confirmed."""
    with uow:
        if uow.second_factor.is_on(member_id):
            raise SecondFactorAlreadyOn(gettext_noop("Two-step sign-in is already on."))
        return uow.second_factor.start(member_id, uow.clock.now())


def confirm_totp(*, uow: UnitOfWork, member: Member, code: str) -> list[str]:
    """The first good code turns two-step sign-in on: the recovery codes, shown once."""
    with uow:
        codes = uow.second_factor.confirm(member.id, code, uow.clock.now())
        if codes is None:
            raise WrongCode.for_field("code", WRONG_CODE, code="invalid")
        uow.audit.record(
            AuditAction.TOTP_ENABLED, actor_id=member.id, tenant_id=member.tenant_id
        )
    return codes


def turn_off_totp(
    *, uow: UnitOfWork, member: Member, code: str, policy: LockoutPolicy, surface: str
) -> None:
    """Needs a code (or a recovery code); a wrong one counts towards the lockout."""
    with uow:
        email = uow.members.email_of(member.id)
        if email is None or not uow.second_factor.is_on(member.id):
            return
        check_second_factor(
            uow=uow, email=email, member=member, code=code, policy=policy,
            surface=surface,
        )  # fmt: skip
        uow.second_factor.turn_off(member.id)
        uow.audit.record(
            AuditAction.TOTP_DISABLED, actor_id=member.id, tenant_id=member.tenant_id
        )


def request_email_change(
    *, uow: UnitOfWork, member: Member, new_email: str, proof: Proof
) -> None:
    """Mail a confirmation link to the new address. An address already registered
    gets the same answer and no link, so the form reveals nobody's account."""
    new_email = normalize_email(new_email)
    with uow:
        check_it_is_them(uow=uow, member=member, proof=proof)
        if uow.members.find_by_email(new_email) is not None:
            return
        change_id = uow.email_changes.start(member.id, new_email, uow.clock.now())
        uow.audit.record(
            AuditAction.EMAIL_CHANGE_REQUESTED,
            actor_id=member.id,
            tenant_id=member.tenant_id,
        )
        uow.mailer.send(AccountMail.CONFIRM_EMAIL_CHANGE, member, about=change_id)


def confirm_email_change(*, uow: UnitOfWork, token: str) -> Member:
    """Sign-in uses the new address from now on; the old one is told, with a link
    that undoes the change."""
    with uow:
        confirmed = uow.email_changes.confirm(token, uow.clock.now())
        if confirmed is None:
            raise InvalidLink(INVALID_LINK)
        change_id, member = confirmed
        uow.audit.record(
            AuditAction.EMAIL_CHANGED, actor_id=member.id, tenant_id=member.tenant_id
        )
        uow.mailer.send(AccountMail.EMAIL_CHANGED, member, about=change_id)
    return member


def revert_email_change(*, uow: UnitOfWork, token: str) -> Member:
    """The old address again: someone else may have made the change, so every
    sign-in ends, the password stops working (a reset link goes to the old
    address) and an authenticator app turned on since the change goes."""
    with uow:
        member = uow.email_changes.revert(token, uow.clock.now())
        if member is None:
            raise InvalidLink(INVALID_LINK)
        uow.audit.record(
            AuditAction.EMAIL_CHANGE_REVERTED,
            actor_id=member.id,
            tenant_id=member.tenant_id,
        )
        uow.sockets.close_all(member.id, reason="email_change_reverted")
        uow.mailer.send(AccountMail.RESET_PASSWORD, member)
    return member
