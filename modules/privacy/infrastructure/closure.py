"""Closing an account: the closure row, identity's people, the mail with the way
back, and the unit of work that holds them together."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from django.conf import settings

from modules.identity import api as identity
from modules.privacy.infrastructure.models import AccountClosure
from modules.privacy.infrastructure.tasks import send_closure_email
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.infrastructure.tasks import enqueue_on_commit
from modules.shared.infrastructure.uow import AtomicUnitOfWork


class DjangoClosureStore:
    def is_closing(self) -> bool:
        return AccountClosure.objects.filter(reopened_at__isnull=True).exists()

    def add(
        self,
        closure_id: UUID,
        *,
        requested_by: UUID,
        closed_at: datetime,
        erase_after: datetime,
    ) -> None:
        AccountClosure.objects.create(
            id=closure_id,
            tenant_id=current_tenant_id(),
            requested_by=requested_by,
            closed_at=closed_at,
            erase_after=erase_after,
        )

    def reopenable_by(self, closure_id: UUID, *, now: datetime) -> UUID | None:
        return (
            AccountClosure.objects.select_for_update()
            .filter(id=closure_id, reopened_at__isnull=True, erase_after__gt=now)
            .values_list("requested_by", flat=True)
            .first()
        )

    def mark_reopened(self, closure_id: UUID, *, at: datetime) -> None:
        AccountClosure.objects.filter(id=closure_id).update(reopened_at=at)


class IdentityPeople:
    def it_is_them(self, *, member_id: UUID, password: str, otp: str | None) -> bool:
        return identity.it_is_them(member_id=member_id, password=password, otp=otp)

    def suspend(self) -> None:
        identity.suspend_tenant(current_tenant_id())

    def reopen(self, *, member_id: UUID, new_password: str) -> None:
        identity.reopen_tenant(
            current_tenant_id(), member_id=member_id, new_password=new_password
        )


class IdentityClosureAudit:
    def account_closed(self, *, actor_id: UUID) -> None:
        identity.audit_privacy(identity.AuditAction.ACCOUNT_CLOSED, actor_id=actor_id)

    def account_reopened(self, *, actor_id: UUID) -> None:
        identity.audit_privacy(identity.AuditAction.ACCOUNT_REOPENED, actor_id=actor_id)


class CeleryClosureMail:
    def send_reopen_link(self, closure_id: UUID) -> None:
        enqueue_on_commit(send_closure_email, str(closure_id), str(current_tenant_id()))


class ClosureUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.closures = DjangoClosureStore()
        self.people = IdentityPeople()
        self.mail = CeleryClosureMail()
        self.audit = IdentityClosureAudit()
        self.grace = settings.ACCOUNT_CLOSURE_GRACE


def closure_unit_of_work() -> ClosureUnitOfWork:
    return ClosureUnitOfWork()
