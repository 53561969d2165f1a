from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from tests.conftest import CommittingAPIClient
from tests.factories import PASSWORD, UserFactory

# Mailed links carry their token in the fragment, never in the query (ADR 0026).
TOKEN_IN_LINK = re.compile(r"#token=([\w\-:.%]+)")


@pytest.fixture
def member(db: Any) -> Any:
    return UserFactory()


@pytest.fixture
def signed_in(api: APIClient) -> Callable[[Any], APIClient]:
    """An API client carrying a fresh access token for the given user."""

    def sign_in(user: Any) -> APIClient:
        client = CommittingAPIClient()
        response = client.post(
            "/api/v1/sessions",
            {"email": user.email, "password": PASSWORD},
            format="json",
        )
        assert response.status_code == 201, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access']}")
        return client

    return sign_in


def token_from_last_mail() -> str:
    match = TOKEN_IN_LINK.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def assert_error_shape(
    response: Any, *, status: int, code: str | None = None
) -> dict[str, Any]:
    assert response.status_code == status, response.content
    body = response.json()
    error = body["error"]
    assert set(error) >= {"code", "message", "details", "correlation_id"}
    assert error["correlation_id"] == response["X-Request-ID"]
    if code:
        assert error["code"] == code
    return error


@pytest.fixture
def staff_client(client: Any) -> Any:
    """A web client signed in as an operator (the admin's superuser)."""
    from modules.identity.infrastructure.models import User

    client.force_login(User.objects.create_superuser("root@example.com", PASSWORD))
    return passed_second_factor(client)


def passed_second_factor(client: Any) -> Any:
    """A staff session as if it had passed two-step sign-in (the admin asks for it)."""
    from modules.identity.interfaces.web.middleware import SECOND_FACTOR_PASSED

    session = client.session
    session[SECOND_FACTOR_PASSED] = True
    session.save()
    return client
