"""`/metrics` for Prometheus: open on a developer's machine; in production only to
staff or to a scraper sending `Authorization: Bearer <METRICS_TOKEN>`."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django_prometheus.exports import ExportToDjangoView

from modules.shared.interfaces.api.errors import json_error


def metrics(request: HttpRequest) -> HttpResponse:
    if settings.DEBUG or request.user.is_staff or _has_token(request):
        return ExportToDjangoView(request)
    return json_error(
        status=403, code="PERMISSION_DENIED", message=_("Metrics are for operators.")
    )


def _has_token(request: HttpRequest) -> bool:
    expected = settings.METRICS_TOKEN
    kind, _, given = request.headers.get("Authorization", "").partition(" ")
    return (
        bool(expected) and kind == "Bearer" and constant_time_compare(given, expected)
    )
