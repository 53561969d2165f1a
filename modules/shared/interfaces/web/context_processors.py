"""Template variables every page needs for its title, canonical link and social tags."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

SITE_NAME = "Finance"


def site(request: HttpRequest) -> dict[str, str]:
    """Absolute URLs come from `SITE_URL`, never from the request's Host header."""
    return {
        "site_name": SITE_NAME,
        "site_url": settings.SITE_URL,
        "canonical_url": settings.SITE_URL + request.path,
    }
