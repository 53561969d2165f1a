"""Download links: signed for one export of one tenant, and only for a while."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.core import signing
from django.urls import reverse

from modules.privacy.domain.exports import DOWNLOAD_LIFETIME

SALT = "privacy.export-download"


def download_path(export_id: UUID, tenant_id: UUID) -> str:
    """In the query string, which the access log never writes: the link is a key."""
    token = signing.dumps({"e": export_id.hex, "t": tenant_id.hex}, salt=SALT)
    return f"{reverse('privacy:download')}?{urlencode({'token': token})}"


def read_token(token: str) -> tuple[UUID, UUID] | None:
    """(export id, tenant id), or None for a forged, broken or expired link."""
    try:
        data = signing.loads(
            token, salt=SALT, max_age=DOWNLOAD_LIFETIME.total_seconds()
        )
        return UUID(data["e"]), UUID(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
