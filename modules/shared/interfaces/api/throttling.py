"""API rate limits that tell the client where it stands (`X-RateLimit-*`).

The counters live in the default cache: local memory in the embedded default, Redis
(shared by every process) when `REDIS_URL` is set.
"""

from __future__ import annotations

import math
from typing import Any

import structlog
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

RATE_LIMIT_ATTRIBUTE = "rate_limit"
logger = structlog.get_logger("throttle")


class ReportingRateThrottle(SimpleRateThrottle):
    """Records limit, remaining and reset on the request for the response headers.

    With the cache (Redis) away, requests pass unthrottled rather than fail: money
    keeps moving while Redis restarts, and the outage is logged.
    """

    def allow_request(self, request: Request, view: Any) -> bool:
        try:
            allowed = super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("throttle.cache_unavailable", error=type(error).__name__)
            return True
        if self.rate is not None and self.key is not None:
            self._report(request, allowed)
        return allowed

    def _report(self, request: Request, allowed: bool) -> None:
        remaining = max(self.num_requests - len(self.history), 0)
        oldest = self.history[-1] if self.history else self.now
        reset = math.ceil(max(self.duration - (self.now - oldest), 0))
        django_request = getattr(request, "_request", request)
        current = getattr(django_request, RATE_LIMIT_ATTRIBUTE, None)
        if current is None or remaining < current[1]:
            setattr(
                django_request,
                RATE_LIMIT_ATTRIBUTE,
                (self.num_requests, remaining, reset),
            )


class AnonymousRateThrottle(ReportingRateThrottle):
    scope = "anon"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if request.user and request.user.is_authenticated:
            return None
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }


class UserRateThrottle(ReportingRateThrottle):
    scope = "user"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if not (request.user and request.user.is_authenticated):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class SensitiveEndpointThrottle(ReportingRateThrottle):
    """5/min per IP on sign-in, sign-up and password reset, counted per endpoint."""

    scope = "auth"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        endpoint = getattr(view, "throttle_endpoint", type(view).__name__)
        ident = f"{endpoint}:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
