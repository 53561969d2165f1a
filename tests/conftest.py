"""Fixtures shared by every test, the rule that server-backed tests never silently
skip where those servers are required (CI sets REQUIRE_SERVICES=1), and TEST_CLOCK,
which moves the clock for the whole run (`make test-timetravel`)."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client, TestCase
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from modules.shared.application.tenancy import activate_tenant, deactivate_tenant

REQUIRED = os.environ.get("REQUIRE_SERVICES") == "1"
# An ISO 8601 moment with its offset, e.g. 2028-02-29T23:30:00+00:00: the run starts
# then and the clock ticks on from there, so no test may depend on the date it runs.
CLOCK = os.environ.get("TEST_CLOCK")

# Property tests assert behaviour, not speed (that is `make bench`): no deadline, so a
# busy CI machine cannot fail them.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


def pytest_configure(config: pytest.Config) -> None:
    if not CLOCK:
        return
    moved = datetime.fromisoformat(CLOCK)
    if moved.tzinfo is None:
        raise pytest.UsageError(f"TEST_CLOCK={CLOCK} needs a UTC offset")
    traveller = time_machine.travel(moved, tick=True)
    traveller.start()
    config.add_cleanup(traveller.stop)


def pytest_report_header() -> str | None:
    return f"clock moved to {CLOCK} (TEST_CLOCK)" if CLOCK else None


def _missing_service(marker: str) -> str | None:
    if marker == "postgres" and connection.vendor != "postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    if marker == "redis" and not settings.REDIS_URL:
        return "needs Redis: set REDIS_URL=redis://..."
    return None


@pytest.fixture(autouse=True)
def _require_services(request: pytest.FixtureRequest) -> None:
    for marker in ("postgres", "redis"):
        if request.node.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason and REQUIRED:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
        if reason:
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit counters live in the cache; each test starts from zero."""
    cache.clear()


@pytest.fixture(autouse=True)
def _no_tenant_leaks():
    """Every test starts and ends with no active tenant."""
    token = activate_tenant(None)
    yield
    deactivate_tenant(token)


class _CommitsEachRequest:
    """Each request commits in production, so run its on-commit work (emails, events)
    when it returns, even inside a test's wrapping transaction."""

    def request(self, *args: Any, **kwargs: Any) -> Any:
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(*args, **kwargs)  # type: ignore[misc]


class CommittingClient(_CommitsEachRequest, Client):
    pass


class CommittingAPIClient(_CommitsEachRequest, APIClient):
    pass


@pytest.fixture
def client() -> Client:
    return CommittingClient()


@pytest.fixture
def api() -> APIClient:
    return CommittingAPIClient()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser journeys last: they are the slowest, and Playwright's own event loop
    must be gone before any async test runs."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)
