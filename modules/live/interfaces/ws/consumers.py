"""`/ws/v1/stream`: one person's live events.

Close codes: 4401 not signed in (or signed out, or the token expired), 4403 tenant
suspended, 4429 the person already holds the maximum number of sockets, 1009 a
message over `MAX_MESSAGE_BYTES`. A message that is not JSON is answered with an
`error` event and the socket stays open. A `resume` sends at most `RESUME_LIMIT`
events; `resume.done` says `more` when the client should resume again from the last.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid
from typing import Any

import structlog
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import timezone

from modules.live.infrastructure import feed
from modules.live.infrastructure.connections import (
    MAX_SOCKETS_PER_USER,
    registry,
)
from modules.live.infrastructure.push import tenant_group, user_group
from modules.shared.application.tenancy import activate_tenant, tenant_scope

logger = structlog.get_logger("ws.stream")

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_MANY_SOCKETS = 4429
CLOSE_MESSAGE_TOO_BIG = 1009
RESUME_PAGE = 500
RESUME_LIMIT = 2000
# Clients send only `ping` and `resume` (with one event id): a few hundred bytes.
MAX_MESSAGE_BYTES = 4096


def envelope(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    """A control message (ready, pong, heartbeat, error) in the events' shape."""
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": timezone.now().isoformat(),
        "data": data,
    }


def heartbeat_seconds() -> float:
    return float(settings.WS_HEARTBEAT_SECONDS)


@database_sync_to_async
def _tenant_is_active(user: Any) -> bool:
    return bool(user.tenant_id) and bool(user.tenant.is_active)


@database_sync_to_async
def _events_after(tenant_id: uuid.UUID, after: uuid.UUID) -> list[dict[str, Any]]:
    """Up to `RESUME_LIMIT` + 1 events after `after` (the one extra says there are
    more), read a page at a time."""
    with tenant_scope(tenant_id):
        found: list[dict[str, Any]] = []
        while len(found) <= RESUME_LIMIT and (
            page := feed.events_after(after, RESUME_PAGE)
        ):
            found.extend(row.envelope() for row in page)
            after = page[-1].id
        return found[: RESUME_LIMIT + 1]


class StreamConsumer(AsyncJsonWebsocketConsumer):
    tenant_id: uuid.UUID | None = None
    user_id: str | None = None
    holds_place = False
    heartbeat: asyncio.Task[None] | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if self.scope.get("auth_error") or user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await _tenant_is_active(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.user_id = str(user.id)
        if not await self._claim_place():
            # Accepted first so that the client can read why it is turned away.
            await self.accept()
            await self.close(code=CLOSE_TOO_MANY_SOCKETS, reason="too many sockets")
            logger.info("ws.refused_too_many", max_sockets=MAX_SOCKETS_PER_USER)
            return
        self.holds_place = True
        self.tenant_id = user.tenant_id
        activate_tenant(self.tenant_id)
        for group in self._groups():
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json(envelope("connection.ready", self._ready_data(user)))
        self.heartbeat = asyncio.create_task(self._beat())
        logger.info("ws.connected", tenant_id=str(self.tenant_id))

    def _groups(self) -> tuple[str, ...]:
        if self.tenant_id is None or self.user_id is None:
            return ()
        return (tenant_group(self.tenant_id), user_group(self.user_id))

    def _ready_data(self, user: Any) -> dict[str, Any]:
        return {
            "user": str(user.id),
            "tenant": str(self.tenant_id),
            "auth": self.scope.get("auth_method", "session"),
            "heartbeat_seconds": heartbeat_seconds(),
            "max_sockets": MAX_SOCKETS_PER_USER,
        }

    async def _claim_place(self) -> bool:
        assert self.user_id is not None
        return await registry().claim(
            self.user_id, self.channel_name, ttl=3 * heartbeat_seconds()
        )

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        """However the socket ends (even when the channel layer fails under it and
        `disconnect` never runs), stop its heartbeat and give its place back."""
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._let_go()

    async def disconnect(self, code: int) -> None:
        for group in self._groups():
            with contextlib.suppress(Exception):  # the layer may be the reason
                await self.channel_layer.group_discard(group, self.channel_name)
        await self._let_go()

    async def _let_go(self) -> None:
        if self.heartbeat is not None:
            self.heartbeat.cancel()
            self.heartbeat = None
        if self.holds_place and self.user_id is not None:
            self.holds_place = False
            with contextlib.suppress(Exception):  # Redis away: the entry expires
                await registry().release(self.user_id, self.channel_name)

    async def _beat(self) -> None:
        """Keep an idle socket (and its place) alive; end it when its token expires."""
        expires_at = self.scope.get("token_expires_at")
        while True:
            await asyncio.sleep(heartbeat_seconds())
            if expires_at is not None and time.time() >= expires_at:
                await self.close(code=CLOSE_UNAUTHENTICATED, reason="token expired")
                return
            with contextlib.suppress(Exception):  # Redis blip: try again next beat
                await self._claim_place()
            await self.send_json(envelope("heartbeat", {}))

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **_: Any
    ) -> None:
        """Too big closes (1009); not JSON text is refused, and the socket lives on."""
        size = (
            len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        )
        if size > MAX_MESSAGE_BYTES:
            await self.close(code=CLOSE_MESSAGE_TOO_BIG, reason="message too big")
            return
        try:
            content = json.loads(text_data) if text_data is not None else None
        except (ValueError, RecursionError):
            content = None
        if content is None:
            await self._refuse("INVALID_JSON")
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json(envelope("pong", {}))
        elif kind == "resume":
            await self._resume(content.get("after"))
        else:
            await self._refuse("UNSUPPORTED_MESSAGE")

    async def _resume(self, after: Any) -> None:
        """Send every event after `after`, in order, then `resume.done`."""
        try:
            after_id = uuid.UUID(str(after))
        except ValueError:
            await self._refuse("INVALID_EVENT_ID")
            return
        assert self.tenant_id is not None
        try:
            missed = await _events_after(self.tenant_id, after_id)
        except feed.UnknownEvent:
            await self._refuse("UNKNOWN_EVENT")
            return
        sent = missed[:RESUME_LIMIT]
        for event in sent:
            await self.send_json(event)
        more = len(missed) > len(sent)
        await self.send_json(
            envelope("resume.done", {"count": len(sent), "more": more})
        )

    async def _refuse(self, code: str) -> None:
        await self.send_json(envelope("error", {"code": code}))

    async def stream_event(self, message: dict[str, Any]) -> None:
        """A group message; delivered only if it belongs to this socket's tenant."""
        if message.get("tenant_id") != str(self.tenant_id):
            logger.error("ws.cross_tenant_event_dropped")
            return
        await self.send_json(message["event"])

    async def stream_close(self, message: dict[str, Any]) -> None:
        """The person signed out, was locked out or deactivated."""
        logger.info("ws.closed_by_server", reason=message.get("reason"))
        await self.close(code=CLOSE_UNAUTHENTICATED, reason=message.get("reason"))
