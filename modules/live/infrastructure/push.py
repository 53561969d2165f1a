"""Messages to open websockets through the channel layer (Redis, or memory)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

import structlog
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = structlog.get_logger("ws")

STREAM_EVENT = "stream.event"
STREAM_CLOSE = "stream.close"


def tenant_group(tenant_id: UUID | str) -> str:
    """Every socket of a tenant: where its events go."""
    return f"tenant.{tenant_id}"


def user_group(user_id: UUID | str) -> str:
    """Every socket of one person: where control messages (close) go."""
    return f"user.{user_id}"


@dataclass(frozen=True)
class PushResult:
    sent: int
    error: BaseException | None = None


def push_events(tenant_id: UUID, envelopes: list[dict[str, Any]]) -> PushResult:
    """Send envelopes in order; stops at the first failure and says how far it got."""
    return async_to_sync(_push)(str(tenant_id), envelopes)


async def _push(tenant_id: str, envelopes: list[dict[str, Any]]) -> PushResult:
    layer = get_channel_layer()
    group = tenant_group(tenant_id)
    for sent, event in enumerate(envelopes):
        try:
            await layer.group_send(
                group, {"type": STREAM_EVENT, "tenant_id": tenant_id, "event": event}
            )
        except Exception as error:
            return PushResult(sent=sent, error=error)
    return PushResult(sent=len(envelopes))


def close_user_sockets(user_id: UUID | str, reason: str) -> None:
    """Close every open socket of a person (signed out, locked, deactivated).

    Best effort: with the channel layer down there is no socket to reach either.
    """
    try:
        async_to_sync(get_channel_layer().group_send)(
            user_group(user_id), {"type": STREAM_CLOSE, "reason": reason}
        )
    except Exception:
        logger.warning("ws.close_failed", reason=reason)
