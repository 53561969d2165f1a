"""How many sockets each person holds, across every web process.

With Redis each person has a sorted set of their sockets scored by expiry, checked
and added to in one Lua script (so two simultaneous connects cannot both take the
last place). Sockets refresh their entry on each heartbeat. Each web process keeps a
short-lived liveness key; entries of a process that died (or restarted) are dropped
at the next claim, so reconnecting clients are not turned away by their own ghosts.
Without Redis (the embedded default: one process) a dictionary does the same job.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
import weakref
from typing import Any, Protocol

from django.conf import settings

MAX_SOCKETS_PER_USER = 3

PROCESS_KEY = "finance:ws:process:"
PROCESS_TTL_SECONDS = 6
PROCESS_BEAT_SECONDS = 2

_CLAIM = """
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local process = string.match(member, '^([^|]+)|')
  if process and redis.call('EXISTS', ARGV[6] .. process) == 0 then
    redis.call('ZREM', KEYS[1], member)
  end
end
if redis.call('ZSCORE', KEYS[1], ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
  return 1
end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then
  return 0
end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return 1
"""


class ConnectionRegistry(Protocol):
    async def claim(self, user_id: str, socket: str, ttl: float) -> bool:
        """Take (or refresh) a place for `socket`; False when the person is full."""

    async def release(self, user_id: str, socket: str) -> None: ...


class MemoryRegistry:
    def __init__(self) -> None:
        self._sockets: dict[str, dict[str, float]] = {}

    async def claim(self, user_id: str, socket: str, ttl: float) -> bool:
        now = time.monotonic()
        held = {
            name: expiry
            for name, expiry in self._sockets.get(user_id, {}).items()
            if expiry > now
        }
        if socket not in held and len(held) >= MAX_SOCKETS_PER_USER:
            self._sockets[user_id] = held
            return False
        held[socket] = now + ttl
        self._sockets[user_id] = held
        return True

    async def release(self, user_id: str, socket: str) -> None:
        self._sockets.get(user_id, {}).pop(socket, None)


class RedisRegistry:
    def __init__(self, url: str) -> None:
        self._url = url
        self._process = uuid.uuid4().hex
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Any] = (
            weakref.WeakKeyDictionary()
        )
        self._beats: weakref.WeakKeyDictionary[
            asyncio.AbstractEventLoop, asyncio.Task[None]
        ] = weakref.WeakKeyDictionary()

    def _client(self) -> Any:
        import redis.asyncio as redis

        loop = asyncio.get_running_loop()
        if loop not in self._clients:
            # Waits for a free connection under a burst of handshakes, not fails.
            pool = redis.BlockingConnectionPool.from_url(
                self._url, max_connections=50, timeout=10
            )
            self._clients[loop] = client = redis.Redis(connection_pool=pool)
            self._beats[loop] = loop.create_task(self._keep_process_alive(client))
        return self._clients[loop]

    async def _keep_process_alive(self, client: Any) -> None:
        while True:
            with contextlib.suppress(Exception):  # Redis away: sockets fail anyway
                await self._mark_alive(client)
            await asyncio.sleep(PROCESS_BEAT_SECONDS)

    async def _mark_alive(self, client: Any) -> None:
        await client.set(PROCESS_KEY + self._process, 1, ex=PROCESS_TTL_SECONDS)

    def _member(self, socket: str) -> str:
        return f"{self._process}|{socket}"

    @staticmethod
    def _key(user_id: str) -> str:
        return f"finance:ws:sockets:{user_id}"

    async def claim(self, user_id: str, socket: str, ttl: float) -> bool:
        client = self._client()
        await self._mark_alive(client)
        now = time.time()
        granted = await client.eval(
            _CLAIM,
            1,
            self._key(user_id),
            now,
            now + ttl,
            self._member(socket),
            MAX_SOCKETS_PER_USER,
            int(ttl) + 1,
            PROCESS_KEY,
        )
        return bool(granted)

    async def release(self, user_id: str, socket: str) -> None:
        await self._client().zrem(self._key(user_id), self._member(socket))


_registry: ConnectionRegistry | None = None


def registry() -> ConnectionRegistry:
    global _registry
    if _registry is None:
        url = settings.REDIS_URL
        _registry = RedisRegistry(url) if url else MemoryRegistry()
    return _registry
