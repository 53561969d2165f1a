"""Revoked tokens stay revoked at every door: the API, the websocket handshake and
open sockets (ADR 0014)."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core import mail
from rest_framework.test import APIClient

from config.asgi import application
from modules.identity.infrastructure.models import User
from modules.live.interfaces.ws.consumers import CLOSE_UNAUTHENTICATED
from tests.factories import PASSWORD, UserFactory
from tests.integration.conftest import token_from_last_mail

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

NEW_PASSWORD = "another-long-passphrase-77"


@database_sync_to_async
def signed_in_person() -> tuple[Any, dict[str, str]]:
    """A member and the tokens of one API sign-in."""
    user = UserFactory()
    return user, _sign_in(user)


@database_sync_to_async
def signed_in_person_again(user: Any) -> tuple[Any, dict[str, str]]:
    """Another sign-in (another device) of the same member."""
    return user, _sign_in(user)


def _sign_in(user: Any) -> dict[str, str]:
    response = APIClient().post(
        "/api/v1/sessions", {"email": user.email, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 201, response.content
    return dict(response.json())


@database_sync_to_async
def post(path: str, body: dict[str, str]) -> Any:
    return APIClient().post(path, body, format="json")


@database_sync_to_async
def me_status(access: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return int(client.get("/api/v1/me").status_code)


@database_sync_to_async
def log_out(refresh: str) -> None:
    response = APIClient().delete(
        "/api/v1/sessions/current", {"refresh": refresh}, format="json"
    )
    assert response.status_code == 204, response.content


@database_sync_to_async
def reset_password_by_mail(email: str) -> None:
    mail.outbox.clear()
    assert (
        APIClient()
        .post("/api/v1/password-resets", {"email": email}, format="json")
        .status_code
        == 202
    )
    confirmed = APIClient().post(
        "/api/v1/password-resets/confirmations",
        {"token": token_from_last_mail(), "password": NEW_PASSWORD},
        format="json",
    )
    assert confirmed.status_code == 204, confirmed.content


@database_sync_to_async
def change_password_as_admin(user_id: Any) -> None:
    user = User.objects.get(id=user_id)
    user.set_password(NEW_PASSWORD)
    user.save()


def _socket(access: str) -> WebsocketCommunicator:
    headers = [(b"authorization", f"Bearer {access}".encode())]
    return WebsocketCommunicator(application, "/ws/v1/stream", headers=headers)


async def opens_socket(access: str) -> bool:
    socket = _socket(access)
    connected, _ = await socket.connect()
    if connected:
        await socket.disconnect()
    return bool(connected)


async def open_socket(access: str) -> WebsocketCommunicator:
    socket = _socket(access)
    connected, _ = await socket.connect()
    assert connected
    assert (await socket.receive_json_from())["type"] == "connection.ready"
    return socket


async def assert_closed_unauthenticated(socket: WebsocketCommunicator) -> None:
    output = await socket.receive_output(timeout=2)
    assert (output["type"], output["code"]) == (
        "websocket.close",
        CLOSE_UNAUTHENTICATED,
    )


async def test_a_password_reset_revokes_old_access_tokens_everywhere() -> None:
    user, tokens = await signed_in_person()
    assert await me_status(tokens["access"]) == 200
    socket = await open_socket(tokens["access"])

    await reset_password_by_mail(user.email)

    await assert_closed_unauthenticated(socket)
    assert await me_status(tokens["access"]) == 401
    assert not await opens_socket(tokens["access"])
    refreshed = await post("/api/v1/sessions/refresh", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 401


async def test_a_password_changed_in_the_admin_stops_refresh_and_sockets() -> None:
    user, tokens = await signed_in_person()
    socket = await open_socket(tokens["access"])

    await change_password_as_admin(user.id)

    await assert_closed_unauthenticated(socket)
    refreshed = await post("/api/v1/sessions/refresh", {"refresh": tokens["refresh"]})
    assert refreshed.status_code == 401
    assert not await opens_socket(tokens["access"])


async def test_signing_out_revokes_that_sign_ins_access_tokens() -> None:
    user, tokens = await signed_in_person()
    _, other_device = await signed_in_person_again(user)
    socket = await open_socket(tokens["access"])

    await log_out(tokens["refresh"])

    await assert_closed_unauthenticated(socket)
    assert await me_status(tokens["access"]) == 401
    assert not await opens_socket(tokens["access"])
    assert await me_status(other_device["access"]) == 200


async def test_reusing_a_rotated_refresh_token_revokes_its_family() -> None:
    user, first = await signed_in_person()
    _, other_device = await signed_in_person_again(user)
    rotated = await post("/api/v1/sessions/refresh", {"refresh": first["refresh"]})
    assert rotated.status_code == 201
    second = rotated.json()

    reused = await post("/api/v1/sessions/refresh", {"refresh": first["refresh"]})

    assert reused.status_code == 401
    again = await post("/api/v1/sessions/refresh", {"refresh": second["refresh"]})
    assert again.status_code == 401
    assert await me_status(second["access"]) == 401
    assert not await opens_socket(second["access"])
    assert await me_status(other_device["access"]) == 200


async def test_a_deactivated_person_is_refused() -> None:
    user, tokens = await signed_in_person()
    socket = await open_socket(tokens["access"])

    await database_sync_to_async(User.objects.filter(id=user.id).update)(
        is_active=False
    )

    assert await me_status(tokens["access"]) == 401
    assert not await opens_socket(tokens["access"])
    await socket.disconnect()


async def test_closing_the_account_closes_its_sockets() -> None:
    _, tokens = await signed_in_person()
    socket = await open_socket(tokens["access"])

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    closed = await database_sync_to_async(client.delete)(
        "/api/v1/me", {"password": PASSWORD}, format="json"
    )

    assert closed.status_code == 202
    await assert_closed_unauthenticated(socket)
    assert not await opens_socket(tokens["access"])
