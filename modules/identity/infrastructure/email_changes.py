"""A change of sign-in address and the two links it mails: confirm (to the new
address) and revert (to the old one, for `EMAIL_CHANGE_REVERT_WINDOW`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction

from modules.identity.application.ports import AccountMail
from modules.identity.domain.members import Member
from modules.identity.infrastructure.models import (
    EmailChange,
    RecoveryCode,
    TotpDevice,
    User,
)
from modules.identity.infrastructure.sign_ins import end_other_sign_ins
from modules.identity.infrastructure.stores import to_member

CONFIRM = "identity.email_change.confirm"
REVERT = "identity.email_change.revert"
SALTS = {AccountMail.CONFIRM_EMAIL_CHANGE: CONFIRM, AccountMail.EMAIL_CHANGED: REVERT}


def link_token(mail: AccountMail, change_id: UUID) -> str:
    return signing.dumps({"c": str(change_id)}, salt=SALTS[mail], compress=True)


def _change_in(token: str, *, salt: str, max_age: Any) -> EmailChange | None:
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
        change_id = UUID(str(payload["c"]))
    except (signing.BadSignature, KeyError, ValueError, TypeError):
        return None
    return (
        EmailChange.objects.select_for_update(of=("self",))
        .select_related("user__profile")
        .filter(id=change_id, reverted_at__isnull=True)
        .first()
    )


class DjangoEmailChanges:
    def start(self, member_id: UUID, new_email: str, now: datetime) -> UUID:
        user = User.objects.get(id=member_id)
        change = EmailChange.objects.create(
            user=user, old_email=user.email, new_email=new_email, requested_at=now
        )
        return change.id

    def confirm(self, token: str, now: datetime) -> tuple[UUID, Member] | None:
        change = _change_in(
            token, salt=CONFIRM, max_age=settings.EMAIL_VERIFICATION_MAX_AGE
        )
        if (
            change is None
            or change.confirmed_at
            or change.user.email != change.old_email
        ):
            return None
        if not _move(change.user, change.new_email):
            return None
        change.confirmed_at = now
        change.save(update_fields=["confirmed_at"])
        return change.id, to_member(change.user)

    def revert(self, token: str, now: datetime) -> Member | None:
        change = _change_in(
            token, salt=REVERT, max_age=settings.EMAIL_CHANGE_REVERT_WINDOW
        )
        if change is None or change.confirmed_at is None:
            return None
        if not _move(change.user, change.old_email):
            return None
        change.reverted_at = now
        change.save(update_fields=["reverted_at"])
        _undo_since(change)
        return to_member(change.user)


def _undo_since(change: EmailChange) -> None:
    """Whoever made the change may know the password and may have added their own
    authenticator app: the password stops working (every token, session and socket
    with it, ADR 0014), every sign-in ends, and an app turned on since goes."""
    user = change.user
    user.set_unusable_password()
    user.save(update_fields=["password"])
    end_other_sign_ins(user, keep_key=None)
    if TotpDevice.objects.filter(
        user=user, created_at__gte=change.requested_at
    ).delete()[0]:
        RecoveryCode.objects.filter(user=user).delete()


def _move(user: User, email: str) -> bool:
    """The address changes unless someone registered it meanwhile."""
    user.email = email
    try:
        with transaction.atomic():
            user.save(update_fields=["email"])
    except IntegrityError:
        return False
    return True
