"""`/ws/v1/stream`: who may connect, what they get first, and whose events they see."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.test import Client

from config.asgi import application
from modules.identity.infrastructure import sign_ins
from modules.identity.infrastructure.models import SignIn
from modules.identity.infrastructure.session_store import SessionStore
from modules.identity.infrastructure.tokens import SessionRefreshToken
from modules.live.infrastructure.push import tenant_group, user_group
from modules.live.interfaces.ws import consumers
from modules.live.interfaces.ws.consumers import (
    CLOSE_FORBIDDEN,
    CLOSE_TOO_MANY_SOCKETS,
    CLOSE_UNAUTHENTICATED,
    MAX_MESSAGE_BYTES,
)
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


@database_sync_to_async
def access_token(user: Any) -> Any:
    """An access token from a new sign-in's token family."""
    return SessionRefreshToken.for_user(user).access_token


async def bearer(user: Any) -> list[tuple[bytes, bytes]]:
    return [(b"authorization", f"Bearer {await access_token(user)}".encode())]


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
    socket, connected, _ = await connect(headers=await bearer(user))
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


@database_sync_to_async
def web_sign_in(user: Any) -> tuple[tuple[bytes, bytes], Any]:
    """A browser sign-in, as its cookie header and its signed-in device."""
    client = Client()
    client.force_login(user)
    raw = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookie = (b"cookie", f"{settings.SESSION_COOKIE_NAME}={raw}".encode())
    return cookie, SignIn.objects.get(user=user)


async def test_a_session_signed_out_from_another_device_cannot_open_a_socket() -> None:
    user = await make_user()
    cookie, device = await web_sign_in(user)
    socket, connected, _ = await connect(headers=[cookie, ORIGIN])
    assert connected
    await socket.disconnect()
    assert await database_sync_to_async(sign_ins.end_sign_in)(user, device.id)
    _, connected, code = await connect(headers=[cookie, ORIGIN])
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


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
    token = await access_token(user)
    _, connected, code = await connect(path=f"/ws/v1/stream?token={token}")
    assert not connected
    assert code == CLOSE_UNAUTHENTICATED


async def test_token_in_query_string_is_refused_even_with_a_valid_header() -> None:
    user = await make_user()
    _, connected, _ = await connect(
        path="/ws/v1/stream?access_token=x", headers=await bearer(user)
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
    _, connected, code = await connect(headers=await bearer(user))
    assert not connected
    assert code == CLOSE_FORBIDDEN


async def test_events_reach_only_their_owner() -> None:
    ana, ben = await make_user(), await make_user()
    as_ana, _, _ = await connect(headers=await bearer(ana))
    as_ben, _, _ = await connect(headers=await bearer(ben))
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
    as_ana, _, _ = await connect(headers=await bearer(ana))
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
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from())["type"] == "pong"
    await socket.send_json_to({"type": "dance"})
    reply = await socket.receive_json_from()
    assert reply["type"] == "error"
    assert reply["data"]["code"] == "UNSUPPORTED_MESSAGE"
    await socket.disconnect()


async def test_a_message_that_is_not_json_is_refused_and_the_socket_lives_on() -> None:
    user = await make_user()
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    for garbage in ("{not json", "[" * 4000, " "):
        await socket.send_to(text_data=garbage)
        reply = await socket.receive_json_from()
        assert (reply["type"], reply["data"]["code"]) == ("error", "INVALID_JSON")
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive_json_from())["data"]["code"] == "INVALID_JSON"
    await socket.send_json_to({"type": "ping"})
    assert (await socket.receive_json_from())["type"] == "pong"
    await socket.disconnect()


async def test_a_message_over_the_limit_closes_with_1009() -> None:
    user = await make_user()
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    await socket.send_to(text_data=" " * (MAX_MESSAGE_BYTES + 1))
    output = await socket.receive_output(timeout=2)
    assert (output["type"], output["code"]) == ("websocket.close", 1009)


# --- Events from the outbox, resume, limits and closing -----------------------------


@database_sync_to_async
def record_spending(user: Any, amount: str) -> tuple[str, str]:
    """Open an account (if needed) and spend from it; returns (entry id, account id)."""
    from datetime import date

    from modules.accounts.api import unit_of_work as accounts_uow
    from modules.accounts.application.use_cases import OpenAccount, open_account
    from modules.accounts.domain.accounts import AccountKind
    from modules.accounts.infrastructure.models import Account
    from modules.shared.application.tenancy import tenant_scope
    from modules.transactions.api import unit_of_work as ledger_uow
    from modules.transactions.application.use_cases import (
        RecordFlow,
        record_transaction,
    )
    from modules.transactions.domain.ledger import EntryKind

    with tenant_scope(user.tenant_id):
        account_id = Account.objects.values_list("id", flat=True).first()
        if account_id is None:
            account_id = open_account(
                uow=accounts_uow(),
                command=OpenAccount(
                    tenant_id=user.tenant_id,
                    name="Everyday",
                    kind=AccountKind.CHECKING,
                    currency="EUR",
                    opened_on=date(2026, 11, 1),
                    opening_balance="50.00",
                ),
            ).id
        entry_id = record_transaction(
            uow=ledger_uow(),
            command=RecordFlow(
                direction=EntryKind.OUTFLOW,
                account_id=account_id,
                amount=amount,
                on=date(2026, 11, 20),
            ),
        )
    return str(entry_id), str(account_id)


async def events(socket: WebsocketCommunicator, count: int) -> list[dict[str, Any]]:
    return [await socket.receive_json_from(timeout=3) for _ in range(count)]


async def test_a_recorded_transaction_reaches_the_socket_as_it_commits() -> None:
    user = await make_user()
    await record_spending(user, "1.00")  # opens the account first
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()

    entry_id, account_id = await record_spending(user, "2.50")
    created, updated = await events(socket, 2)
    assert created["type"] == "transaction.created"
    assert created["data"]["transaction_id"] == entry_id
    assert updated["type"] == "balance.updated"
    assert updated["data"]["account_id"] == account_id
    assert (updated["data"]["previous_balance"], updated["data"]["balance"]) == (
        "49.00",
        "46.50",
    )
    await socket.disconnect()


async def test_resume_sends_what_was_missed_in_order() -> None:
    user = await make_user()
    await record_spending(user, "1.00")
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    seen = await events(socket, 0)
    await record_spending(user, "1.00")
    last_seen = (await events(socket, 2))[-1]["id"]
    await socket.disconnect()

    missed = [await record_spending(user, amount) for amount in ("2.00", "3.00")]
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    await socket.send_json_to({"type": "resume", "after": last_seen})
    resumed = await events(socket, 5)
    assert [e["type"] for e in resumed] == [
        "transaction.created",
        "balance.updated",
        "transaction.created",
        "balance.updated",
        "resume.done",
    ]
    assert [
        resumed[0]["data"]["transaction_id"],
        resumed[2]["data"]["transaction_id"],
    ] == [entry_id for entry_id, _ in missed]
    assert resumed[-1]["data"] == {"count": 4, "more": False}
    assert seen == []
    await socket.disconnect()


async def test_resume_sends_at_most_its_limit_and_says_there_is_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(consumers, "RESUME_LIMIT", 3)
    monkeypatch.setattr(consumers, "RESUME_PAGE", 2)
    user = await make_user()
    await record_spending(user, "1.00")
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    await record_spending(user, "1.00")
    last_seen = (await events(socket, 2))[-1]["id"]
    await socket.disconnect()
    for amount in ("2.00", "3.00"):
        await record_spending(user, amount)  # 4 events missed

    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    await socket.send_json_to({"type": "resume", "after": last_seen})
    first = await events(socket, 4)
    assert first[-1]["type"] == "resume.done"
    assert first[-1]["data"] == {"count": 3, "more": True}
    await socket.send_json_to({"type": "resume", "after": first[-2]["id"]})
    rest = await events(socket, 2)
    assert rest[-1]["data"] == {"count": 1, "more": False}
    assert [e["sequence"] for e in first[:-1] + rest[:-1]] == sorted(
        e["sequence"] for e in first[:-1] + rest[:-1]
    )
    await socket.disconnect()


@pytest.mark.parametrize(
    ("after", "code"),
    [("not-a-uuid", "INVALID_EVENT_ID"), (str(uuid.uuid4()), "UNKNOWN_EVENT")],
)
async def test_resume_from_an_unknown_event_says_so(after: str, code: str) -> None:
    user = await make_user()
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    await socket.send_json_to({"type": "resume", "after": after})
    reply = await socket.receive_json_from()
    assert (reply["type"], reply["data"]["code"]) == ("error", code)
    await socket.disconnect()


async def test_a_fourth_socket_is_refused_with_a_clear_code() -> None:
    user = await make_user()
    sockets = []
    for _ in range(3):
        socket, connected, _ = await connect(headers=await bearer(user))
        assert connected
        assert (await socket.receive_json_from())["data"]["max_sockets"] == 3
        sockets.append(socket)
    fourth, connected, _ = await connect(headers=await bearer(user))
    assert connected  # accepted, so that the close code reaches the client
    closing = await fourth.receive_output(timeout=1)
    assert closing == {
        "type": "websocket.close",
        "code": CLOSE_TOO_MANY_SOCKETS,
        "reason": "too many sockets",
    }

    await sockets.pop().disconnect()
    again, connected, _ = await connect(headers=await bearer(user))
    assert connected
    assert (await again.receive_json_from())["type"] == "connection.ready"
    for socket in [*sockets, again]:
        await socket.disconnect()


async def test_signing_out_closes_the_persons_sockets() -> None:
    user = await make_user()
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    await get_channel_layer().group_send(
        user_group(user.id), {"type": "stream.close", "reason": "signed_out"}
    )
    closing = await socket.receive_output(timeout=1)
    assert closing["type"] == "websocket.close"
    assert closing["code"] == CLOSE_UNAUTHENTICATED


async def test_a_logout_through_the_api_closes_the_sockets(
    api: Any,
) -> None:
    user = await make_user()
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()

    @database_sync_to_async
    def log_out() -> int:
        from tests.factories import PASSWORD

        tokens = api.post(
            "/api/v1/sessions",
            {"email": user.email, "password": PASSWORD},
            format="json",
        ).json()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
        return api.delete(
            "/api/v1/sessions/current", {"refresh": tokens["refresh"]}, format="json"
        ).status_code

    assert await log_out() == 204
    closing = await socket.receive_output(timeout=2)
    assert (closing["type"], closing["code"]) == (
        "websocket.close",
        CLOSE_UNAUTHENTICATED,
    )


async def test_heartbeats_keep_coming_and_an_expired_token_ends_the_socket(
    settings: Any,
) -> None:
    settings.WS_HEARTBEAT_SECONDS = 0.2
    user = await make_user()
    socket, _, _ = await connect(headers=await bearer(user))
    await socket.receive_json_from()
    assert (await socket.receive_json_from(timeout=1))["type"] == "heartbeat"
    await socket.disconnect()

    token = await access_token(user)
    token.set_exp(lifetime=timedelta(seconds=2))
    expiring, connected, _ = await connect(
        headers=[(b"authorization", f"Bearer {token}".encode())]
    )
    assert connected
    await expiring.receive_json_from()
    output = await expiring.receive_output(timeout=4)
    while output["type"] == "websocket.send":  # heartbeats until it expires
        output = await expiring.receive_output(timeout=4)
    assert (output["type"], output["code"]) == (
        "websocket.close",
        CLOSE_UNAUTHENTICATED,
    )


async def test_tenant_events_go_to_every_socket_of_the_tenant() -> None:
    user = await make_user()
    first, _, _ = await connect(headers=await bearer(user))
    second, _, _ = await connect(headers=await bearer(user))
    await first.receive_json_from()
    await second.receive_json_from()
    event = {"id": "e2", "type": "notification.created", "occurred_at": "x", "data": {}}
    await get_channel_layer().group_send(
        tenant_group(user.tenant_id),
        {"type": "stream.event", "tenant_id": str(user.tenant_id), "event": event},
    )
    assert await first.receive_json_from() == event
    assert await second.receive_json_from() == event
    await first.disconnect()
    await second.disconnect()
