"""Every API error, ours and the framework's, has the one shape with a correlation id."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.integration.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


def test_unknown_path_under_api(api: APIClient) -> None:
    assert_error_shape(api.get("/api/v1/nothing-here"), status=404, code="NOT_FOUND")
    assert_error_shape(api.get("/api/v2/users"), status=404, code="NOT_FOUND")


def test_a_bearer_post_to_an_unknown_path_is_a_404_not_a_csrf_failure() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/nothing-here", {}, HTTP_AUTHORIZATION="Bearer not-checked-here"
    )
    assert_error_shape(response, status=404, code="NOT_FOUND")


def test_method_not_allowed(api: APIClient) -> None:
    assert_error_shape(
        api.get("/api/v1/password-resets"), status=405, code="METHOD_NOT_ALLOWED"
    )


def test_malformed_json(api: APIClient) -> None:
    response = api.post(
        "/api/v1/sessions", data="{not json", content_type="application/json"
    )
    assert_error_shape(response, status=400, code="MALFORMED_REQUEST")


def test_unsupported_media_type(api: APIClient) -> None:
    response = api.post("/api/v1/sessions", data="email=x", content_type="text/plain")
    assert_error_shape(response, status=415, code="UNSUPPORTED_MEDIA_TYPE")


def test_unauthenticated(api: APIClient) -> None:
    assert_error_shape(api.get("/api/v1/me"), status=401, code="NOT_AUTHENTICATED")


def test_garbage_bearer_token(api: APIClient) -> None:
    api.credentials(HTTP_AUTHORIZATION="Bearer not.a.jwt")
    assert_error_shape(api.get("/api/v1/me"), status=401, code="AUTHENTICATION_FAILED")


def test_validation_error_lists_fields(api: APIClient) -> None:
    error = assert_error_shape(api.post("/api/v1/users", {}, format="json"), status=400)
    assert {d["field"] for d in error["details"]} >= {
        "email",
        "password",
        "accepted_terms",
    }
    assert all(set(d) == {"field", "code", "message"} for d in error["details"])


def test_incoming_request_id_is_echoed(api: APIClient) -> None:
    response = api.get("/api/v1/me", HTTP_X_REQUEST_ID="client-trace-12345678")
    assert response["X-Request-ID"] == "client-trace-12345678"
    assert response.json()["error"]["correlation_id"] == "client-trace-12345678"


def test_malformed_request_id_is_replaced(api: APIClient) -> None:
    response = api.get("/api/v1/me", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert response["X-Request-ID"] != "bad id\nwith newline"
    assert len(response["X-Request-ID"]) == 36


def test_unexpected_exception_is_a_500_in_the_shape(
    api: APIClient, monkeypatch: Any
) -> None:
    from modules.identity.interfaces.api import views

    def explode(*_: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(views, "queue_password_reset", explode)
    response = api.post(
        "/api/v1/password-resets", {"email": "a@example.com"}, format="json"
    )
    error = assert_error_shape(response, status=500, code="INTERNAL_ERROR")
    assert "boom" not in error["message"]
