"""The identity unit of work: one database transaction around a use case."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction

from modules.identity.infrastructure.email_changes import DjangoEmailChanges
from modules.identity.infrastructure.stores import (
    DjangoAuditTrail,
    DjangoFailedLoginStore,
    DjangoMemberStore,
    SignedLinkTokens,
)
from modules.identity.infrastructure.tasks import AccountMailer
from modules.identity.infrastructure.totp import DjangoSecondFactor
from modules.live.api import close_user_sockets
from modules.shared.infrastructure.uow import AtomicUnitOfWork


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
        self.mailer = AccountMailer()
        self.audit = DjangoAuditTrail()
        self.sockets = ChannelLayerSockets()
        self.second_factor = DjangoSecondFactor()
        self.email_changes = DjangoEmailChanges()


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
