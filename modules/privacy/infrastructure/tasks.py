"""The privacy module's jobs: the export, the mail that lets a closed account be
reopened, and the hourly retention job that also erases closed accounts.

The export is a consistent snapshot of the tenant, streamed into a zip.

On PostgreSQL the rows are read in one read-only REPEATABLE READ transaction, so a
transaction recorded meanwhile is either wholly in the export or wholly out. Progress
must be seen while that snapshot is still open, so it is written from a short thread
of its own, which has its own database connection and commits at once. SQLite (the
embedded default) takes a write lock with every transaction, which would block that
thread: there the rows are read without one.
"""

from __future__ import annotations

import os
import smtplib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from uuid import UUID

import structlog
from celery import shared_task
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation

from contracts.events.models import EventData, ExportProgress, ExportReady
from modules.identity import api as identity
from modules.live import api as live
from modules.live.api import OutboxWriter
from modules.notifications import api as notifications
from modules.privacy.domain.exports import (
    DOWNLOAD_LIFETIME,
    ExportStatus,
    passes_a_step,
    percent,
)
from modules.privacy.infrastructure.erasure import erase_due_accounts, export_root
from modules.privacy.infrastructure.links import REOPEN_ACCOUNT
from modules.privacy.infrastructure.models import AccountClosure, DataExport
from modules.privacy.infrastructure.sections import all_sections
from modules.privacy.infrastructure.writer import write_zip
from modules.shared.application.tenancy import tenant_scope
from modules.shared.domain.retention import Kept, kept_for
from modules.shared.infrastructure.clock import SystemClock
from modules.shared.infrastructure.mail import templated_message
from modules.shared.infrastructure.tasks import purge_idempotency_records

logger = structlog.get_logger("privacy")


@shared_task(name="privacy.build_export")
def build_export(export_id: str, tenant_id: str) -> str:
    """Write the export once; a second delivery of the task finds it started."""
    with tenant_scope(UUID(tenant_id)):
        if not _claim(UUID(export_id)):
            return "skipped"
        try:
            size = _write(UUID(export_id), UUID(tenant_id))
        except Exception:
            logger.exception("export.failed", export_id=export_id)
            _update(UUID(export_id), UUID(tenant_id), status=ExportStatus.FAILED)
            return "failed"
    logger.info("export.ready", export_id=export_id, size_bytes=size)
    return "ready"


def _claim(export_id: UUID) -> bool:
    with transaction.atomic():
        return bool(
            DataExport.objects.filter(id=export_id, status=ExportStatus.PENDING).update(
                status=ExportStatus.RUNNING
            )
        )


class _Progress:
    """Counts rows as they are written and announces every step passed."""

    def __init__(self, export_id: UUID, tenant_id: UUID, total: int) -> None:
        self.export_id, self.tenant_id, self.total = export_id, tenant_id, total
        self.rows = 0
        self.shown = 0

    def __call__(self, rows: int) -> None:
        self.rows += rows
        now = percent(self.rows, self.total)
        if now < 100 and passes_a_step(self.shown, now):
            self.shown = now
            event = ExportProgress(export_id=self.export_id, progress=now)
            _update(self.export_id, self.tenant_id, event=event, progress=now)


def _write(export_id: UUID, tenant_id: UUID) -> int:
    final = export_root() / f"{export_id}.zip"
    partial = final.with_suffix(".partial")
    try:
        with _snapshot():
            sections = all_sections()
            total = sum(s.count() for s in sections)
            progress = _Progress(export_id, tenant_id, total)
            write_zip(partial, sections, on_rows=progress)
    except BaseException:
        partial.unlink(missing_ok=True)  # no half-written copy of anyone's data stays
        raise
    os.replace(partial, final)
    size = final.stat().st_size
    expires_at = timezone.now() + DOWNLOAD_LIFETIME
    _update(
        export_id,
        tenant_id,
        event=ExportReady(export_id=export_id, expires_at=expires_at, size_bytes=size),
        status=ExportStatus.READY,
        progress=100,
        rows_written=progress.rows,
        size_bytes=size,
        file_name=final.name,
        finished_at=timezone.now(),
        expires_at=expires_at,
    )
    return size


@contextmanager
def _snapshot() -> Iterator[None]:
    """Reads inside see the database as it was when the block began (PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _update(
    export_id: UUID,
    tenant_id: UUID,
    *,
    event: EventData | None = None,
    **fields: object,
) -> None:
    """Change the export row (and announce `event`) committed at once, from a thread
    of its own: the job's own connection may be inside its snapshot."""
    failure: list[BaseException] = []

    def run() -> None:
        try:
            with tenant_scope(tenant_id), transaction.atomic():
                DataExport.objects.filter(id=export_id).update(**fields)
                if event is not None:
                    OutboxWriter(SystemClock()).append(event)
        except BaseException as error:  # re-raised in the job's thread
            failure.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=run, name="export-progress")
    worker.start()
    worker.join()
    if failure:
        raise failure[0]


@shared_task(name="privacy.purge_expired_exports")
def purge_expired_exports() -> int:
    """Delete the files of exports past their download time (a maintenance path
    across tenants, by age only)."""
    expired = DataExport.all_tenants.filter(
        status=ExportStatus.READY, expires_at__lt=timezone.now()
    )
    count = 0
    for export in expired.only("id", "file_name"):
        (export_root() / export.file_name).unlink(missing_ok=True)
        count += DataExport.all_tenants.filter(id=export.id).update(
            status=ExportStatus.EXPIRED, file_name=""
        )
    return count


@shared_task(
    name="privacy.send_closure_email",
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=2,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=8,
)
def send_closure_email(closure_id: str, tenant_id: str) -> None:
    """The link is signed here, so no secret travels through the broker; a closure
    taken back (or erased) before the task runs sends nothing."""
    with tenant_scope(UUID(tenant_id)):
        closure = AccountClosure.objects.filter(
            id=UUID(closure_id), reopened_at__isnull=True
        ).first()
        if closure is None:
            return
        email, locale = identity.address_of(closure.requested_by)
        link = settings.SITE_URL + REOPEN_ACCOUNT.path(closure.id, closure.tenant_id)
        context = {
            "link": link,
            "site_url": settings.SITE_URL,
            "erase_after": closure.erase_after,
        }
        with translation.override(locale):
            templated_message(
                template="privacy/email/account_closed", context=context, to=email
            ).send()
    logger.info("mail.sent", kind="account_closed")


def purge_old_export_records() -> int:
    """The record of an export (and any file left behind) after its period."""
    old = DataExport.all_tenants.filter(
        created_at__lt=timezone.now() - kept_for(Kept.EXPORT_RECORDS)
    )
    for name in old.exclude(file_name="").values_list("file_name", flat=True):
        (export_root() / name).unlink(missing_ok=True)
    return int(old._raw_delete(old.db))


@shared_task(name="privacy.enforce_retention", acks_late=True)
def enforce_retention() -> dict[str, int]:
    """Hourly (beat; the embedded default runs it in process, ADR 0020): every kind
    of data past its period in `shared.domain.retention` is deleted, each module
    deleting its own, then closed accounts past their grace are erased."""
    identity.purge_expired_sessions()
    counts = {
        Kept.OUTBOX_EVENTS.value: live.purge_outbox_events(),
        Kept.NOTIFICATIONS.value: notifications.purge_old_notifications(),
        Kept.IDEMPOTENCY_KEYS.value: purge_idempotency_records(),
        Kept.AUDIT_EVENTS.value: identity.purge_audit_events(),
        Kept.REVOKED_SIGN_INS.value: identity.purge_revoked_sign_ins(),
        Kept.EXPORT_FILES.value: purge_expired_exports(),
        Kept.EXPORT_RECORDS.value: purge_old_export_records(),
        Kept.CLOSED_ACCOUNTS.value: erase_due_accounts(),
    }
    logger.info("retention.enforced", **counts)
    return counts
