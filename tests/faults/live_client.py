"""What a well-behaved live client does, and a tiny HTTP client for the API.

`LiveClient` holds one websocket in a background thread with its own event loop. It
drops event ids it has already seen, counts `transaction.created` per transaction and
keeps the latest `balance.updated` per account. When its socket drops it reconnects
(every 0.3 s until it gets in) and asks for every event after the last one it is sure
of (`resume`).

Which event is "the last one it is sure of": the server handles one message of a socket
at a time, so a `resume` answer is [live events that were already queued] [the events
after `after`, in order] [`resume.done`], then live events in order. Live events that
arrive before `resume.done` may be newer than events still to come in the batch, so the
resume point only moves on `resume.done` (to the last event received by then) and, after
that, with each live event. A socket that drops mid-resume leaves the point where it was:
the next resume repeats a few events, which the client drops as duplicates.

Balances are applied in arrival order, duplicates included: a duplicate in a resume
batch arrives in its true place in the order, after any newer live event that overtook
it, so the last `balance.updated` received is always the newest state.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import websockets

CONTROL_TYPES = frozenset(
    {"connection.ready", "heartbeat", "pong", "error", "resume.done"}
)
RECONNECT_SECONDS = 0.3


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    """Poll `condition` every 0.2 s; its last answer once `timeout` is up."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


class ApiError(Exception):
    def __init__(self, status: int, body: str) -> None:
        super().__init__(f"HTTP {status}: {body[:500]}")
        self.status = status
        self.body = body


@dataclass
class Api:
    """JSON over HTTP with a bearer token; no retries (a refusal is a finding)."""

    base_url: str
    access: str | None = None
    timeout: float = 10.0

    def request(self, method: str, path: str, body: Any = None) -> Any:
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.access:
            headers["Authorization"] = f"Bearer {self.access}"
        request = urllib.request.Request(  # noqa: S310 - our own http URL
            self.base_url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read().decode(errors="replace")
        if status >= 400:
            raise ApiError(status, raw)
        return {"_status": status, **json.loads(raw)} if raw else {"_status": status}

    def sign_in(self, email: str, password: str) -> str:
        tokens = self.request(
            "POST", "/api/v1/sessions", {"email": email, "password": password}
        )
        self.access = tokens["access"]
        return str(self.access)

    def balance(self, account_id: str) -> str:
        return str(
            self.request("GET", f"/api/v1/accounts/{account_id}")["balance"]["amount"]
        )

    def events_after(self, after: str | None) -> list[dict[str, Any]]:
        """Every event of the tenant after `after` (all of them when None), in order."""
        found: list[dict[str, Any]] = []
        while True:
            query = "?limit=500" + (f"&after={after}" if after else "")
            page = self.request("GET", f"/api/v1/events{query}")
            found.extend(page["results"])
            if not page["results"] or not page["has_more"]:
                return found
            after = page["results"][-1]["id"]

    def last_event_id(self) -> str | None:
        events = self.events_after(None)
        return events[-1]["id"] if events else None


@dataclass
class LiveClient:
    url: str
    access: str
    last_id: str | None = None
    seen: set[str] = field(default_factory=set)
    created: Counter[str] = field(default_factory=Counter)
    balances: dict[str, dict[str, Any]] = field(default_factory=dict)
    connections: int = 0
    connected_at: list[float] = field(default_factory=list)  # time.monotonic()
    closes: list[str] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    resumes: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Event | None = None
        self._started = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="live-client", daemon=True
        )

    # --- Driving it from the test's thread ------------------------------------------

    def start(self) -> LiveClient:
        self._thread.start()
        self._started.wait(5)
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopped is not None:
            with contextlib.suppress(RuntimeError):  # the loop is already closed
                self._loop.call_soon_threadsafe(self._stopped.set)
        self._thread.join(10)

    def wait_connected(self, count: int = 1, timeout: float = 15) -> bool:
        """Wait until the client has had `count` connections (1: the first one)."""
        return wait_until(lambda: self.connections >= count, timeout)

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                "seen": set(self.seen),
                "created": Counter(self.created),
                "balances": {key: dict(value) for key, value in self.balances.items()},
                "connections": self.connections,
                "closes": list(self.closes),
                "errors": list(self.errors),
                "resumes": list(self.resumes),
                "last_id": self.last_id,
            }

    def balance(self, account_id: str) -> str | None:
        with self._lock:
            latest = self.balances.get(account_id)
            return None if latest is None else str(latest["balance"])

    # --- The client itself ------------------------------------------------------------

    def _run(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopped = asyncio.Event()
        self._started.set()
        while not self._stopped.is_set():
            session = asyncio.ensure_future(self._session())
            stopping = asyncio.ensure_future(self._stopped.wait())
            await asyncio.wait({session, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if not session.done():
                session.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await session
                return
            stopping.cancel()
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _session(self) -> None:
        """One connection, from handshake to close; never raises."""
        try:
            async with websockets.connect(
                self.url,
                additional_headers={"Authorization": f"Bearer {self.access}"},
                open_timeout=3,
                close_timeout=1,
                max_size=None,
            ) as socket:
                ready = json.loads(await asyncio.wait_for(socket.recv(), 5))
                if ready.get("type") != "connection.ready":
                    self._closed(f"unexpected first message {ready.get('type')}")
                    return
                with self._lock:
                    self.connections += 1
                    self.connected_at.append(time.monotonic())
                    after = self.last_id
                resuming = after is not None
                if resuming:
                    await socket.send(json.dumps({"type": "resume", "after": after}))
                newest: str | None = None
                async for raw in socket:
                    message = json.loads(raw)
                    kind = message.get("type")
                    if kind == "resume.done":
                        with self._lock:
                            self.resumes.append(int(message["data"].get("count", 0)))
                            if newest is not None:
                                self.last_id = newest
                        resuming = False
                    elif kind == "error":
                        with self._lock:
                            self.errors.append(message["data"])
                    elif kind not in CONTROL_TYPES:
                        self._receive(message, advance=not resuming)
                        newest = message["id"]
        except websockets.ConnectionClosed as closed:
            self._closed(f"closed {closed.rcvd.code if closed.rcvd else None}")
        except (OSError, TimeoutError, websockets.InvalidHandshake) as error:
            self._closed(f"connect failed {type(error).__name__}")
        except Exception as error:  # the client must outlive anything the server does
            self._closed(f"client error {type(error).__name__}: {error}")

    def _closed(self, why: str) -> None:
        with self._lock:
            self.closes.append(why)

    def _receive(self, event: dict[str, Any], *, advance: bool) -> None:
        with self._lock:
            data = event.get("data") or {}
            if event["type"] == "balance.updated":
                self.balances[str(data["account_id"])] = data
            if advance:
                self.last_id = event["id"]
            if event["id"] in self.seen:
                return
            self.seen.add(event["id"])
            if event["type"] == "transaction.created":
                self.created[str(data["transaction_id"])] += 1
