"""Request middleware: correlation id and request log, tenant scope, response headers.

Deliberately sync-only: measured under Daphne, an async chain is slower, because
Django's own middleware then hops to a thread and back for every request hook, while a
sync chain makes one hop for the whole request.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

from modules.shared.application.correlation import accept_or_generate
from modules.shared.application.tenancy import activate_tenant, deactivate_tenant
from modules.shared.interfaces.web.errors import payload_too_large

logger = structlog.get_logger("http")

Handler = Callable[[HttpRequest], Any]
QUIET_PATH_PREFIXES = (
    "/static/",
    "/health/",
    "/metrics",
    "/robots.txt",
    "/sitemap.xml",
)
PRIVATE_PATH_PREFIXES = ("/app/", "/admin/", "/api/")
# No page needs these; a script injected despite the CSP gets none of them either.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
    )
)


class AroundMiddleware:
    """Runs `before` and `after` around the rest of the chain."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        self.before(request)
        return self.after(request, self.get_response(request))

    def before(self, request: HttpRequest) -> None:
        """Work on the way in."""

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        return response


class RequestIdMiddleware(AroundMiddleware):
    """Reads or makes `X-Request-ID`, binds it to every log line, echoes it back, and
    writes the one access-log line per request (the servers' own are off).

    That line has the path and never the query string, which can carry a secret (the
    password-reset and email-verification links put their token there)."""

    def before(self, request: HttpRequest) -> None:
        structlog.contextvars.clear_contextvars()
        correlation_id = accept_or_generate(request.headers.get("X-Request-ID"))
        request.correlation_id = correlation_id  # type: ignore[attr-defined]
        request.started_at = time.perf_counter()  # type: ignore[attr-defined]
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response["X-Request-ID"] = request.correlation_id  # type: ignore[attr-defined]
        if not request.path.startswith(QUIET_PATH_PREFIXES):
            elapsed = time.perf_counter() - request.started_at  # type: ignore[attr-defined]
            logger.info(
                "request.finished",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round(elapsed * 1000, 2),
            )
        structlog.contextvars.clear_contextvars()
        return response


class RequestSizeMiddleware(AroundMiddleware):
    """A body larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` says so (413) before anything
    reads it. Multipart bodies are left to Django, whose limit leaves files out;
    the error handlers answer 413 when it refuses one."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        multipart = request.content_type == "multipart/form-data"
        if limit is not None and not multipart and _declared_length(request) > limit:
            return payload_too_large(request)
        return self.get_response(request)  # type: ignore[no-any-return]


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class TenantMiddleware(AroundMiddleware):
    """Opens the tenant slot for one request: the signed-in user's tenant, or none
    until the API's token authentication fills it in when DRF authenticates."""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant_id = getattr(request.user, "tenant_id", None)
        if tenant_id:
            structlog.contextvars.bind_contextvars(tenant_id=str(tenant_id))
        token = activate_tenant(tenant_id)
        try:
            return self.get_response(request)  # type: ignore[no-any-return]
        finally:
            deactivate_tenant(token)


class PrivatePagesMiddleware(AroundMiddleware):
    """Pages shown to a signed-in person, the admin and the API are never indexed
    nor stored by any cache (a shared computer's browser history included); every
    response says which browser features no page may use."""

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        response["Permissions-Policy"] = PERMISSIONS_POLICY
        private = getattr(request, "private_page", False)
        if private or request.path.startswith(PRIVATE_PATH_PREFIXES):
            response["X-Robots-Tag"] = "noindex, nofollow"
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if private or signed_in or request.path.startswith(PRIVATE_PATH_PREFIXES):
            add_never_cache_headers(response)
        return response


class RateLimitHeadersMiddleware(AroundMiddleware):
    """Copies what the API throttles recorded into `X-RateLimit-*` headers."""

    def after(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        state = getattr(request, "rate_limit", None)
        if state is not None:
            limit, remaining, reset = state
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(remaining)
            response["X-RateLimit-Reset"] = str(reset)
        return response
