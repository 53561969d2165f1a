"""The one API error shape, for our errors and DRF's and Django's alike."""

from __future__ import annotations

from typing import Any

import structlog
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework import exceptions as drf
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_default_handler

from modules.shared.application.correlation import current_correlation_id
from modules.shared.domain import errors as domain

logger = structlog.get_logger("api.errors")

DOCUMENTATION_URL = "/api/docs/"

DOMAIN_STATUS: dict[type[domain.DomainError], int] = {
    domain.ValidationError: 400,
    domain.AuthenticationError: 401,
    domain.AuthorizationError: 403,
    domain.NotFoundError: 404,
    domain.ConflictError: 409,
    domain.RateLimitedError: 429,
}

# Codes whose status the error class alone does not decide.
STATUS_BY_CODE = {"IDEMPOTENCY_KEY_REUSED": 422}


class PayloadTooLarge(drf.APIException):
    status_code = 413
    default_detail = _lazy("The request is too large.")
    default_code = "PAYLOAD_TOO_LARGE"


DRF_CODES: dict[type[drf.APIException], str] = {
    PayloadTooLarge: "PAYLOAD_TOO_LARGE",
    drf.ParseError: "MALFORMED_REQUEST",
    drf.ValidationError: "VALIDATION_ERROR",
    drf.AuthenticationFailed: "AUTHENTICATION_FAILED",
    drf.NotAuthenticated: "NOT_AUTHENTICATED",
    drf.PermissionDenied: "PERMISSION_DENIED",
    drf.NotFound: "NOT_FOUND",
    drf.MethodNotAllowed: "METHOD_NOT_ALLOWED",
    drf.NotAcceptable: "NOT_ACCEPTABLE",
    drf.UnsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
    drf.Throttled: "RATE_LIMITED",
}


def error_body(
    *, code: str, message: str, details: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": str(message),
            "details": details or [],
            "correlation_id": current_correlation_id(),
            "documentation_url": DOCUMENTATION_URL,
        }
    }


def json_error(*, status: int, code: str, message: str) -> JsonResponse:
    """For errors raised outside DRF (unknown path under /api/, server errors)."""
    return JsonResponse(error_body(code=code, message=message), status=status)


def flatten_validation(detail: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF's nested error dict -> a flat list of {field, code, message}."""
    if isinstance(detail, dict):
        items: list[dict[str, str]] = []
        for key, value in detail.items():
            items.extend(flatten_validation(value, _field_name(prefix, key)))
        return items
    if isinstance(detail, list):
        items = []
        for index, value in enumerate(detail):
            nested = isinstance(value, dict | list)
            items.extend(
                flatten_validation(value, f"{prefix}[{index}]" if nested else prefix)
            )
        return items
    code = getattr(detail, "code", "invalid")
    return [{"field": prefix, "code": str(code), "message": str(detail)}]


def _field_name(prefix: str, key: Any) -> str:
    """`transactions[2].amount`: list positions in brackets (DRF keys some by int)."""
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    field = key if key != "non_field_errors" else ""
    return f"{prefix}.{field}" if prefix and field else (field or prefix)


def _domain_response(error: domain.DomainError) -> Response:
    status = STATUS_BY_CODE.get(error.code) or next(
        (code for kind, code in DOMAIN_STATUS.items() if isinstance(error, kind)), 400
    )
    details = [
        {"field": item.field, "code": item.code, "message": _(item.message)}
        for item in error.details
    ]
    response = Response(
        error_body(code=error.code, message=_(error.message), details=details),
        status=status,
    )
    if isinstance(error, domain.RateLimitedError):
        response["Retry-After"] = str(error.retry_after_seconds)
    return response


def _drf_response(error: drf.APIException, context: dict[str, Any]) -> Response:
    base = drf_default_handler(error, context)
    status = base.status_code if base is not None else error.status_code
    code = next(
        (c for kind, c in DRF_CODES.items() if isinstance(error, kind)), "ERROR"
    )
    if isinstance(error, drf.ValidationError):
        body = error_body(
            code=code,
            message=_("Validation failed"),
            details=flatten_validation(error.detail),
        )
    else:
        detail = error.detail
        message = detail.get("detail", detail) if isinstance(detail, dict) else detail
        body = error_body(code=code, message=str(message))
    response = Response(body, status=status)
    for header in ("Retry-After", "WWW-Authenticate", "Allow"):
        if base is not None and header in base:
            response[header] = base[header]
    return response


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    if isinstance(exc, domain.DomainError):
        return _domain_response(exc)
    if isinstance(exc, Http404):
        exc = drf.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf.PermissionDenied()
    elif isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    if isinstance(exc, drf.APIException):
        return _drf_response(exc, context)
    logger.error("api.unhandled_error", error_type=type(exc).__name__, exc_info=exc)
    return Response(
        error_body(
            code="INTERNAL_ERROR", message=_("Something went wrong on our side.")
        ),
        status=500,
    )
