"""An export as both doors show it: status, progress, and a link once it is ready."""

from __future__ import annotations

from django.utils import timezone

from modules.privacy.domain.exports import ExportStatus
from modules.privacy.infrastructure.links import EXPORT_DOWNLOAD
from modules.privacy.infrastructure.models import DataExport


def downloadable(export: DataExport) -> bool:
    """Ready, and still within its download time."""
    return (
        export.status == ExportStatus.READY
        and export.expires_at is not None
        and export.expires_at > timezone.now()
    )


def download_link(export: DataExport) -> str | None:
    """The signed path of a ready export's file (its token in the fragment: the
    landing page POSTs it), while it may still be downloaded."""
    return (
        EXPORT_DOWNLOAD.path(export.id, export.tenant_id)
        if downloadable(export)
        else None
    )


def download_token(export: DataExport) -> str | None:
    """The token the "Your data" page POSTs itself, with no landing page between."""
    return (
        EXPORT_DOWNLOAD.token(export.id, export.tenant_id)
        if downloadable(export)
        else None
    )
