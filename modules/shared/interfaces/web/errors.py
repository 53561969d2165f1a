"""Error pages: friendly and translated on the web, the one JSON shape under /api/."""

from __future__ import annotations

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from modules.shared.interfaces.api.errors import json_error

API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


@csrf_exempt  # changes nothing: a bearer-token POST to a wrong path is a 404, not a 403
def api_not_found(
    request: HttpRequest, *args: object, **kwargs: object
) -> HttpResponse:
    return json_error(status=404, code="NOT_FOUND", message=_("No such endpoint."))


def _page(
    request: HttpRequest, *, status: int, code: str, message: str
) -> HttpResponse:
    if _is_api(request):
        return json_error(status=status, code=code, message=message)
    return render(request, f"errors/{status}.html", {"message": message}, status=status)


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return payload_too_large(request)
    return _page(
        request, status=400, code="BAD_REQUEST", message=_("The request was not valid.")
    )


def payload_too_large(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        status=413,
        code="PAYLOAD_TOO_LARGE",
        message=_("The request is too large."),
    )


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _page(
        request,
        status=403,
        code="PERMISSION_DENIED",
        message=_("You cannot open this page."),
    )


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return _page(
        request, status=404, code="NOT_FOUND", message=_("We could not find that page.")
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        status=500,
        code="INTERNAL_ERROR",
        message=_("Something went wrong on our side. Please try again in a moment."),
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(
        request,
        status=403,
        code="CSRF_FAILED",
        message=_(
            "Your session expired or the form was stale. Go back, reload and try again."
        ),
    )
