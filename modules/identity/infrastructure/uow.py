"""The identity unit of work: one database transaction around a use case."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction

from modules.identity.application.ports import AccountMail
from modules.identity.domain.members import Member
from modules.identity.infrastructure.stores import (
    DjangoAuditTrail,
    DjangoFailedLoginStore,
    DjangoMemberStore,
    SignedLinkTokens,
    SystemClock,
)
from modules.identity.infrastructure.tasks import send_account_email
from modules.live.api import close_user_sockets
from modules.shared.infrastructure.tasks import enqueue_on_commit
from modules.shared.infrastructure.uow import AtomicUnitOfWork


class CeleryMailer:
    """Queues the email once the transaction commits, so a rollback sends nothing."""

    def send(self, kind: AccountMail, member: Member) -> None:
        enqueue_on_commit(
            send_account_email, str(member.id), kind.value, str(member.tenant_id)
        )


class ChannelLayerSockets:
    def close_all(self, member_id: UUID, reason: str) -> None:
        transaction.on_commit(
            lambda: close_user_sockets(member_id, reason=reason), robust=True
        )


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.members = DjangoMemberStore()
        self.failed_logins = DjangoFailedLoginStore()
        self.tokens = SignedLinkTokens()
        self.mailer = CeleryMailer()
        self.audit = DjangoAuditTrail()
        self.clock = SystemClock()
        self.sockets = ChannelLayerSockets()


def identity_uow() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
