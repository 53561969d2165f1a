"""API rate limits: per IP on sensitive endpoints, per client elsewhere, with headers."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.integration.conftest import assert_error_shape

pytestmark = pytest.mark.django_db


def test_login_is_limited_to_five_per_minute_per_ip(api: APIClient) -> None:
    body = {"email": "x@example.com", "password": "wrong-password-guess"}
    statuses = []
    for n in range(6):
        response = api.post(
            "/api/v1/sessions", {**body, "email": f"x{n}@example.com"}, format="json"
        )
        statuses.append(response.status_code)
    assert statuses == [401] * 5 + [429]
    error = assert_error_shape(response, status=429, code="RATE_LIMITED")
    assert error["message"]
    assert int(response["Retry-After"]) > 0
    assert response["X-RateLimit-Limit"] == "5"
    assert response["X-RateLimit-Remaining"] == "0"
    assert int(response["X-RateLimit-Reset"]) > 0


def test_another_ip_is_not_affected(api: APIClient) -> None:
    body = {"email": "x@example.com", "password": "wrong-password-guess"}
    for n in range(6):
        api.post(
            "/api/v1/sessions",
            {**body, "email": f"x{n}@example.com"},
            format="json",
            REMOTE_ADDR="10.1.1.1",
        )
    other = api.post("/api/v1/sessions", body, format="json", REMOTE_ADDR="10.1.1.2")
    assert other.status_code == 401


def test_registration_and_reset_have_their_own_budget(api: APIClient) -> None:
    for _ in range(5):
        api.post("/api/v1/password-resets", {"email": "a@example.com"}, format="json")
    assert (
        api.post(
            "/api/v1/password-resets", {"email": "a@example.com"}, format="json"
        ).status_code
        == 429
    )
    assert api.post("/api/v1/users", {}, format="json").status_code == 400


def test_headers_count_down(api: APIClient) -> None:
    first = api.post(
        "/api/v1/password-resets", {"email": "a@example.com"}, format="json"
    )
    second = api.post(
        "/api/v1/password-resets", {"email": "a@example.com"}, format="json"
    )
    assert first["X-RateLimit-Limit"] == "5"
    assert int(first["X-RateLimit-Remaining"]) == 4
    assert int(second["X-RateLimit-Remaining"]) == 3


def test_anonymous_limit_is_twenty_per_minute(api: APIClient) -> None:
    statuses = [
        api.post(
            "/api/v1/email-verifications", {"token": "x"}, format="json"
        ).status_code
        for _ in range(21)
    ]
    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429


def test_authenticated_limit_is_a_hundred_per_minute(
    signed_in: Any, member: Any
) -> None:
    client = signed_in(member)
    statuses = [client.get("/api/v1/me").status_code for _ in range(101)]
    assert statuses[:100] == [200] * 100
    assert statuses[100] == 429


def test_requests_pass_when_the_cache_is_away(
    signed_in: Any, member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Redis restarting must not stop anyone recording a transaction."""
    from django.core.cache import cache
    from redis.exceptions import ConnectionError as RedisConnectionError

    client = signed_in(member)

    def away(*args: Any, **kwargs: Any) -> Any:
        raise RedisConnectionError("Connection refused")

    monkeypatch.setattr(cache, "get", away)
    monkeypatch.setattr(cache, "set", away)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert "X-RateLimit-Limit" not in response
