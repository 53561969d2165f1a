"""The API's per-IP limit on sensitive endpoints, for the web forms that send email or
check passwords (sign-up, sign-in, new verification link, password reset)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from types import SimpleNamespace
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from modules.shared.interfaces.api.throttling import SensitiveEndpointThrottle

View = Callable[..., HttpResponse]


def limit_form_posts(endpoint: str) -> Callable[[View], View]:
    """Refuse a form POST with a friendly 429 page once the IP has used its budget."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method == "POST":
                throttle = SensitiveEndpointThrottle()
                target = SimpleNamespace(throttle_endpoint=f"web:{endpoint}")
                if not throttle.allow_request(request, target):  # type: ignore[arg-type]
                    return _too_many(request, wait=throttle.wait())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _too_many(request: HttpRequest, *, wait: float | None) -> HttpResponse:
    message = _(
        "Too many attempts from your network. Please wait a minute and try again."
    )
    response = render(request, "errors/429.html", {"message": message}, status=429)
    response["Retry-After"] = str(max(1, round(wait or 60)))
    return response
