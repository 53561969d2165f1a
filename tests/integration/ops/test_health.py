"""Liveness, readiness and metrics."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from config import health

pytestmark = pytest.mark.django_db


def test_liveness(client: Client) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "X-Request-ID" in response


def test_readiness_checks_the_database(client: Client) -> None:
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


def test_readiness_answers_503_naming_what_failed(
    client: Client, monkeypatch: Any
) -> None:
    def broken() -> None:
        raise ConnectionError("down")

    monkeypatch.setattr(
        health,
        "readiness_checks",
        lambda: {"database": health.check_database, "redis": broken},
    )
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "redis": "unavailable"},
    }


def test_readiness_reports_an_unreachable_redis(client: Client, settings: Any) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/health/ready/")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"] == "unavailable"


@pytest.mark.redis
def test_readiness_checks_redis_and_the_broker(client: Client) -> None:
    response = client.get("/health/ready/")
    assert response.status_code == 200
    assert response.json()["checks"] == {
        "database": "ok",
        "redis": "ok",
        "broker": "ok",
    }


def test_metrics_are_prometheus_text(staff_client: Client) -> None:
    staff_client.get("/health/")
    response = staff_client.get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "# TYPE" in text
    assert "django_http_requests_total_by_method_total" in text
