"""Request middleware: correlation id and request log, tenant scope, private-page robots."""

from __future__ import annotations

import time
from collections.abc import Callable

import structlog
from django.http import HttpRequest, HttpResponse

from modules.shared.application.tenancy import activate_tenant, deactivate_tenant
from modules.shared.application.correlation import accept_or_generate

logger = structlog.get_logger("http")

Handler = Callable[[HttpRequest], HttpResponse]
PUBLIC_PATH_PREFIXES = ("/static/", "/health/", "/metrics", "/robots.txt", "/sitemap.xml")


class RequestIdMiddleware:
    """Reads or makes `X-Request-ID`, binds it to every log line, echoes it back."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        structlog.contextvars.clear_contextvars()
        correlation_id = accept_or_generate(request.headers.get("X-Request-ID"))
        request.correlation_id = correlation_id  # type: ignore[attr-defined]
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = correlation_id
        if not request.path.startswith(PUBLIC_PATH_PREFIXES):
            logger.info(
                "request.finished",
                method=request.method,
                path=request.path,
                status=response.status_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 2),
            )
        structlog.contextvars.clear_contextvars()
        return response


class TenantMiddleware:
    """Activates the signed-in user's tenant for the request; the API's token
    authentication activates it in the same slot when DRF authenticates."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant_id = getattr(request.user, "tenant_id", None)
        token = activate_tenant(tenant_id)
        if tenant_id:
            structlog.contextvars.bind_contextvars(tenant_id=str(tenant_id))
        try:
            return self.get_response(request)
        finally:
            deactivate_tenant(token)


class NoIndexPrivatePagesMiddleware:
    """Pages shown to a signed-in person, the admin and the API are never indexed."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        private = getattr(request, "private_page", False) or request.path.startswith(
            ("/app/", "/admin/", "/api/")
        )
        if private:
            response["X-Robots-Tag"] = "noindex, nofollow"
        return response


class RateLimitHeadersMiddleware:
    """Copies what the API throttles recorded into `X-RateLimit-*` headers."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        state = getattr(request, "rate_limit", None)
        if state is not None:
            limit, remaining, reset = state
            response["X-RateLimit-Limit"] = str(limit)
            response["X-RateLimit-Remaining"] = str(remaining)
            response["X-RateLimit-Reset"] = str(reset)
        return response
