"""The privacy module's unit of work and its stores."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from modules.identity import api as identity
from modules.privacy.domain.exports import UNFINISHED
from modules.privacy.infrastructure.models import DataExport
from modules.privacy.infrastructure.tasks import build_export
from modules.shared.application.tenancy import current_tenant_id
from modules.shared.infrastructure.tasks import enqueue_on_commit
from modules.shared.infrastructure.uow import AtomicUnitOfWork


class DjangoExportStore:
    def unfinished(self) -> UUID | None:
        export_ids = DataExport.objects.filter(status__in=UNFINISHED).values_list(
            "id", flat=True
        )
        return export_ids.first()

    def add(self, export_id: UUID, *, requested_by: UUID, at: datetime) -> None:
        DataExport.objects.create(
            id=export_id,
            tenant_id=current_tenant_id(),
            requested_by=requested_by,
            created_at=at,
        )


class CeleryExportJobs:
    def start(self, export_id: UUID) -> None:
        enqueue_on_commit(build_export, str(export_id), str(current_tenant_id()))


class IdentityAudit:
    def export_requested(self, *, actor_id: UUID) -> None:
        identity.audit_privacy(identity.AuditAction.EXPORT_REQUESTED, actor_id=actor_id)


class DjangoUnitOfWork(AtomicUnitOfWork):
    def __init__(self) -> None:
        super().__init__()
        self.exports = DjangoExportStore()
        self.jobs = CeleryExportJobs()
        self.audit = IdentityAudit()


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork()
