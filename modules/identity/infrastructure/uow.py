"""The identity unit of work: one database transaction around a use case."""

from __future__ import annotations

from types import TracebackType

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
from modules.shared.infrastructure.tasks import enqueue_on_commit


class CeleryMailer:
    """Queues the email once the transaction commits, so a rollback sends nothing."""

    def send(self, kind: AccountMail, member: Member) -> None:
        enqueue_on_commit(
            send_account_email, str(member.id), kind.value, str(member.tenant_id)
        )


class DjangoUnitOfWork:
    def __init__(self) -> None:
        self.members = DjangoMemberStore()
        self.failed_logins = DjangoFailedLoginStore()
        self.tokens = SignedLinkTokens()
        self.mailer = CeleryMailer()
        self.audit = DjangoAuditTrail()
        self.clock = SystemClock()
        self._atomic: transaction.Atomic | None = None
        self._keep = False

    def __enter__(self) -> DjangoUnitOfWork:
        self._keep = False
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        return self

    def commit(self) -> None:
        self._keep = True

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._atomic is not None
        if exc_type is not None and self._keep:
            self._atomic.__exit__(None, None, None)
        else:
            self._atomic.__exit__(exc_type, exc, traceback)
        self._atomic = None


def identity_uow() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
