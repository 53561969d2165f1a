"""`/ws/v1/stream`: who may connect, what they get first, and whose events they see."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from rest_framework_simplejwt.tokens import AccessToken

from config.asgi import application
from modules.notifications.interfaces.ws.consumers import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHENTICATED,
    user_group,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def bearer(user: Any) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Bearer {AccessToken.for_user(user)}".encode())]


@database_sync_to_async
def make_user(**kwargs: Any) -> Any:
    return UserFactory(**kwargs)


@database_sync_to_async
def session_cookie(user: Any) -> tuple[bytes, bytes]:
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return (b"cookie", f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode())


async def connect(
    path: str = "/ws/v1/stream", headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[WebsocketCommunicator, bool, Any]:
    communicator = WebsocketCommunicator(application, path, headers=headers or [])
    connected, code = await communicator.connect()
    return communicator, connected, code


async def test_bearer_token_connects_and_gets_connection_ready() -> None:
    user = await make_user()
    socket, connected, _ = await connect(headers=bearer(user))
    assert connected
    ready = await socket.receive_json_from()
    assert ready["type"] == "connection.ready"
    assert set(ready) == {"id", "type", "occurred_at", "data"}
    assert ready["data"]["user"] == str(user.id)
    assert ready["data"]["tenant"] == str(user.tenant_id)
    assert ready["data"]["auth"] == "bearer"
    await socket.disconnect()


async def test_session_cookie_from_our_origin_connects() -> None:
    user = await make_user()
    socket, connected, _ = await connect(headers=[await session_cookie(user), ORIGIN])
    assert connected
    assert (await socket.receive_json_from())["data"]["auth"] == "session"
    await socket.disconnect()


async def test_session_cookie_from_another_site_is_refused() -> None:
    user = await make_user()
    cookie = await session_cookie(user)
    _, connected, code = await connect(
        headers=[cookie, (b"origin", b"https://evil.example")]
    )
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_anonymous_is_refused() -> None:
    _, connected, code = await connect(headers=[ORIGIN])
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_token_in_query_string_is_refused() -> None:
    user = await make_user()
    token = AccessToken.for_user(user)
    _, connected, code = await connect(path=f"/ws/v1/stream?token={token}")
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_token_in_query_string_is_refused_even_with_a_valid_header() -> None:
    user = await make_user()
    _, connected, _ = await connect(
        path="/ws/v1/stream?access_token=x", headers=bearer(user)
    )
    assert not connected


async def test_invalid_bearer_is_refused() -> None:
    _, connected, code = await connect(headers=[(b"authorization", b"Bearer nope")])
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_inactive_tenant_is_refused() -> None:
    user = await make_user()

    @database_sync_to_async
    def deactivate() -> None:
        user.tenant.is_active = False
        user.tenant.save(update_fields=["is_active"])

    await deactivate()
    _, connected, code = await connect(headers=bearer(user))
    assert not connected
    assert code == CLOSE_FORBIDDEN


async def test_events_reach_only_their_owner() -> None:
    ana, ben = await make_user(), await make_user()
    as_ana, _, _ = await connect(headers=bearer(ana))
    as_ben, _, _ = await connect(headers=bearer(ben))
    await as_ana.receive_json_from()
    await as_ben.receive_json_from()

    layer = get_channel_layer()
    event = {
        "id": "e1",
        "type": "balance.updated",
        "occurred_at": "2026-11-23T10:00:00Z",
        "data": {},
    }
    await layer.group_send(
        user_group(ana.id),
        {"type": "stream.event", "tenant_id": str(ana.tenant_id), "event": event},
    )

    assert await as_ana.receive_json_from() == event
    assert await as_ben.receive_nothing(timeout=0.2)
    await as_ana.disconnect()
    await as_ben.disconnect()


async def test_an_event_for_another_tenant_is_dropped_even_in_the_right_group() -> None:
    ana, ben = await make_user(), await make_user()
    as_ana, _, _ = await connect(headers=bearer(ana))
    await as_ana.receive_json_from()
    layer = get_channel_layer()
    await layer.group_send(
        user_group(ana.id),
        {"type": "stream.event", "tenant_id": str(ben.tenant_id), "event": {"id": "x"}},
    )
    assert await as_ana.receive_nothing(timeout=0.2)
    await as_ana.disconnect()


async def test_ping_pong_and_unknown_messages() -> None:
    user = await make_user()
    socket, _, _ = await connect(headers=bearer(user))
    await socket.receive_json_from()
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from())["type"] == "pong"
    await socket.send_json_to({"type": "dance"})
    reply = await socket.receive_json_from()
    assert reply["type"] == "error"
    assert reply["data"]["code"] == "UNSUPPORTED_MESSAGE"
    await socket.disconnect()
