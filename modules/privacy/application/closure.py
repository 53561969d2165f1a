"""Closing an account, and taking the closure back within its grace period."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from modules.privacy.application.ports import ClosureUnitOfWork
from modules.privacy.domain.closure import erase_after
from modules.shared.domain.errors import ConflictError, ValidationError
from modules.shared.domain.text import gettext_noop


@dataclass(frozen=True, kw_only=True)
class CloseAccount:
    member_id: UUID
    password: str
    otp: str | None = None


def close_account(*, uow: ClosureUnitOfWork, command: CloseAccount) -> datetime:
    """Refuse the tenant's people at once, mail them the way back, and return when
    everything will be erased. The password is checked first, on its own: a wrong
    one counts towards the sign-in lockout even though the closure is refused."""
    if not uow.people.it_is_them(
        member_id=command.member_id, password=command.password, otp=command.otp
    ):
        raise ValidationError.for_field(
            "password",
            gettext_noop("The password (or the code) is not right."),
            code="incorrect",
        )
    with uow:
        if uow.closures.is_closing():
            raise ConflictError(
                gettext_noop("This account is already being closed."),
                code="ALREADY_CLOSING",
            )
        closure_id = uuid.uuid4()
        now = uow.clock.now()
        erased = erase_after(now, grace=uow.grace)
        uow.closures.add(
            closure_id,
            requested_by=command.member_id,
            closed_at=now,
            erase_after=erased,
        )
        uow.people.suspend()
        uow.audit.account_closed(actor_id=command.member_id)
        uow.mail.send_reopen_link(closure_id)
    return erased


def reopen_account(
    *, uow: ClosureUnitOfWork, closure_id: UUID, new_password: str
) -> UUID:
    """Take a closure back from the mailed link; the person who closed the account
    signs in again with `new_password`. Returns who that is."""
    with uow:
        now = uow.clock.now()
        member_id = uow.closures.reopenable_by(closure_id, now=now)
        if member_id is None:
            raise ValidationError(
                gettext_noop("This link is invalid or has expired."),
                code="INVALID_LINK",
            )
        uow.people.reopen(member_id=member_id, new_password=new_password)
        uow.closures.mark_reopened(closure_id, at=now)
        uow.audit.account_reopened(actor_id=member_id)
    return member_id
