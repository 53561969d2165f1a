"""An export as both doors show it: status, progress, and a link once it is ready."""

from __future__ import annotations

from django.utils import timezone

from modules.privacy.domain.exports import ExportStatus
from modules.privacy.infrastructure.links import EXPORT_DOWNLOAD
from modules.privacy.infrastructure.models import DataExport


def download_link(export: DataExport) -> str | None:
    """The signed path of a ready export's file, while it may still be downloaded."""
    if export.status != ExportStatus.READY or export.expires_at is None:
        return None
    if export.expires_at <= timezone.now():
        return None
    return EXPORT_DOWNLOAD.path(export.id, export.tenant_id)
