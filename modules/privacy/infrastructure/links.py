"""Signed links of the privacy module: each names one row of one tenant and works
only for a while. The link is a key, so its token travels in the URL fragment,
which no server, proxy or access log sees; the landing page POSTs it (ADR 0026)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode
from uuid import UUID

from django.core import signing
from django.urls import reverse

from modules.privacy.domain.closure import LONGEST_GRACE
from modules.privacy.domain.exports import DOWNLOAD_LIFETIME


@dataclass(frozen=True)
class SignedLink:
    salt: str
    route: str
    lifetime: timedelta

    def token(self, row_id: UUID, tenant_id: UUID) -> str:
        return signing.dumps({"e": row_id.hex, "t": tenant_id.hex}, salt=self.salt)

    def path(self, row_id: UUID, tenant_id: UUID) -> str:
        token = self.token(row_id, tenant_id)
        return f"{reverse(self.route)}#{urlencode({'token': token})}"

    def read(self, token: str) -> tuple[UUID, UUID] | None:
        """(row id, tenant id), or None for a forged, broken or expired link."""
        try:
            data = signing.loads(
                token, salt=self.salt, max_age=self.lifetime.total_seconds()
            )
            return UUID(data["e"]), UUID(data["t"])
        except (signing.BadSignature, KeyError, TypeError, ValueError):
            return None


EXPORT_DOWNLOAD = SignedLink(
    "privacy.export-download", "privacy:download", DOWNLOAD_LIFETIME
)
REOPEN_ACCOUNT = SignedLink("privacy.reopen-account", "privacy:reopen", LONGEST_GRACE)
