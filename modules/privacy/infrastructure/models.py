"""An export of everything a person has: its progress, and its file once written."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.privacy.domain.exports import ExportStatus
from modules.shared.infrastructure.tenancy import TenantOwnedModel

STATUS_LABELS = {
    ExportStatus.PENDING: _("Waiting"),
    ExportStatus.RUNNING: _("Being written"),
    ExportStatus.READY: _("Ready"),
    ExportStatus.FAILED: _("Failed"),
    ExportStatus.EXPIRED: _("Expired"),
}


class DataExport(TenantOwnedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.UUIDField(_("asked for by"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=list(STATUS_LABELS.items()),
        default=ExportStatus.PENDING,
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    rows_written = models.PositiveBigIntegerField(_("rows written"), default=0)
    size_bytes = models.PositiveBigIntegerField(_("size"), default=0)
    file_name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("asked for"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("download until"), null=True, blank=True)

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        ordering = ("-created_at",)
        indexes = [
            models.Index(fields=("tenant", "-created_at"), name="export_tenant_recent")
        ]

    def __str__(self) -> str:
        return f"{self.status} {self.created_at:%Y-%m-%d %H:%M}"


class AccountClosure(TenantOwnedModel):
    """A request to close the account: its people are refused from `closed_at`, its
    data is erased after `erase_after` unless it is reopened first."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.UUIDField(_("asked for by"))
    closed_at = models.DateTimeField(_("closed"), default=timezone.now)
    erase_after = models.DateTimeField(_("erased after"), db_index=True)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)

    class Meta:
        verbose_name = _("account closure")
        verbose_name_plural = _("account closures")
        ordering = ("-closed_at",)
        constraints = [
            models.UniqueConstraint(
                fields=("tenant",),
                condition=models.Q(reopened_at__isnull=True),
                name="closure_tenant_open",
            )
        ]

    def __str__(self) -> str:
        return f"closed {self.closed_at:%Y-%m-%d}, erased after {self.erase_after:%Y-%m-%d}"
