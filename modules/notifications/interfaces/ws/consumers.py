"""`/ws/v1/stream`: one person's live events."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.utils import timezone

from modules.shared.application.tenancy import activate_tenant

logger = structlog.get_logger("ws.stream")

CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
HEARTBEAT_SECONDS = 30


def user_group(user_id: object) -> str:
    return f"user.{user_id}"


def envelope(event_type: str, data: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "type": event_type,
        "occurred_at": timezone.now().isoformat(),
        "data": data,
    }


@database_sync_to_async
def _tenant_is_active(user: Any) -> bool:
    return bool(user.tenant_id) and bool(user.tenant.is_active)


class StreamConsumer(AsyncJsonWebsocketConsumer):
    group: str | None = None
    tenant_id: uuid.UUID | None = None

    async def connect(self) -> None:
        user = self.scope.get("user")
        if self.scope.get("auth_error") or user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await _tenant_is_active(user):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.tenant_id = user.tenant_id
        activate_tenant(self.tenant_id)
        self.group = user_group(user.id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.send_json(
            envelope(
                "connection.ready",
                {
                    "user": str(user.id),
                    "tenant": str(self.tenant_id),
                    "auth": self.scope.get("auth_method", "session"),
                    "heartbeat_seconds": HEARTBEAT_SECONDS,
                },
            )
        )
        logger.info("ws.connected", tenant_id=str(self.tenant_id))

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "ping":
            await self.send_json(envelope("pong", {}))
        else:
            await self.send_json(envelope("error", {"code": "UNSUPPORTED_MESSAGE"}))

    async def stream_event(self, message: dict[str, Any]) -> None:
        """A group message; delivered only if it belongs to this socket's tenant."""
        if message.get("tenant_id") != str(self.tenant_id):
            logger.error("ws.cross_tenant_event_dropped")
            return
        await self.send_json(message["event"])
