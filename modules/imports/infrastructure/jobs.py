"""The import jobs (read and classify a file; record a confirmed import) and the unit
of work that queues them."""

from __future__ import annotations

from uuid import UUID

import structlog
from celery import shared_task

from modules.imports.application.use_cases import parse_import, record_import
from modules.imports.infrastructure.uow import DjangoUnitOfWork
from modules.shared.application.tenancy import current_tenant_id, tenant_scope
from modules.shared.infrastructure.tasks import enqueue_on_commit

logger = structlog.get_logger("imports")


@shared_task(name="imports.parse", acks_late=True)
def parse_statement(import_id: str, tenant_id: str) -> str:
    """Read and classify once; a second delivery finds the import taken."""
    with tenant_scope(UUID(tenant_id)):
        status = parse_import(uow=unit_of_work(), import_id=UUID(import_id))
    logger.info("import.parsed", import_id=import_id, status=status.value)
    return status.value


@shared_task(name="imports.record", acks_late=True)
def record_statement(import_id: str, tenant_id: str) -> str:
    """Record a confirmed import whole; a second delivery finds it recorded."""
    with tenant_scope(UUID(tenant_id)):
        status = record_import(uow=unit_of_work(), import_id=UUID(import_id))
    logger.info("import.recorded", import_id=import_id, status=status.value)
    return status.value


class CeleryImportJobs:
    def parse(self, import_id: UUID) -> None:
        enqueue_on_commit(parse_statement, str(import_id), str(current_tenant_id()))

    def record(self, import_id: UUID) -> None:
        enqueue_on_commit(record_statement, str(import_id), str(current_tenant_id()))


def unit_of_work() -> DjangoUnitOfWork:
    return DjangoUnitOfWork(jobs=CeleryImportJobs())
