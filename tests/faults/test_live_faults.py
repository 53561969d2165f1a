"""Live updates survive a broken piece: a killed worker, Redis going away, a web restart.

Each test runs its own Redis, Celery worker (with the 5 s outbox sweep) and Daphne (see
conftest.py and stack.py), keeps a reconnecting, resuming websocket client open, records
transactions through the API and breaks one process in the middle. Once things settle,
every transaction that got a 201 must have reached the client exactly once (after it
drops duplicate event ids), the client's last balance must be the API's balance (the
opening balance minus every amount), and no event in the feed may be missing at the
client. The last test checks that a short Redis restart does not cost a person any of
their socket places.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.faults.live_client import Api, LiveClient, wait_until
from tests.faults.stack import HEARTBEAT_SECONDS, Ledger, Stack

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.timeout(150)]

SETTLE_SECONDS = 30.0


class Recorder:
    """Records outflows with distinct small amounts (0.01, 0.02, ...) and keeps what
    got a 201 and what did not."""

    def __init__(self, api: Api, account_id: str) -> None:
        self.api = api
        self.account_id = account_id
        self.recorded: dict[str, Decimal] = {}
        self.failures: list[str] = []
        self._cents: Iterator[int] = itertools.count(1)
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def _next_amount(self) -> Decimal:
        with self._lock:
            return Decimal(next(self._cents)) / 100

    def record_one(self) -> None:
        amount = self._next_amount()
        body = {
            "type": "outflow",
            "account": self.account_id,
            "amount": str(amount),
            "date": date.today().isoformat(),
        }
        started = time.monotonic()
        try:
            created = self.api.request("POST", "/api/v1/transactions", body)
        except Exception as error:
            with self._lock:
                self.failures.append(
                    f"{amount} after {time.monotonic() - started:.1f}s: {error}"
                )
            return
        with self._lock:
            if created["_status"] == 201:
                self.recorded[str(created["id"])] = amount
            else:
                self.failures.append(f"{amount}: HTTP {created['_status']}")

    @property
    def count(self) -> int:
        with self._lock:
            return len(self.recorded)

    def burst(self, total: int, threads: int) -> None:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: self.record_one(), range(total)))

    def burst_in_background(self, total: int, threads: int) -> Future[None]:
        runner = ThreadPoolExecutor(1)
        future = runner.submit(self.burst, total, threads)
        runner.shutdown(wait=False)
        return future

    def steadily(self, threads: int, pause: float) -> list[threading.Thread]:
        """Keep recording from `threads` threads until `halt()`."""

        def loop() -> None:
            while not self._stop.is_set():
                self.record_one()
                time.sleep(pause)

        workers = [threading.Thread(target=loop, daemon=True) for _ in range(threads)]
        for worker in workers:
            worker.start()
        return workers

    def halt(self, workers: list[threading.Thread]) -> None:
        self._stop.set()
        for worker in workers:
            worker.join(30)


def open_client(stack: Stack, ledger: Ledger) -> tuple[LiveClient, str | None]:
    """A connected client that resumes from the newest event that exists now."""
    after = ledger.api.last_event_id()
    client = LiveClient(stack.ws_url, ledger.access, last_id=after).start()
    assert client.wait_connected(), f"the client never connected: {client.closes}"
    return client, after


@pytest.fixture
def live(stack: Stack, ledger: Ledger) -> Iterator[tuple[LiveClient, str | None]]:
    client, after = open_client(stack, ledger)
    try:
        yield client, after
    finally:
        client.stop()


def describe(client: LiveClient) -> str:
    snap = client.snapshot()
    return (
        f"client: {snap['connections']} connection(s), {len(snap['seen'])} events, "
        f"resumes {snap['resumes']}, errors {snap['errors']}, "
        f"closes {snap['closes'][-10:]}"
    )


def assert_everything_arrived(
    client: LiveClient, ledger: Ledger, recorder: Recorder, after: str | None
) -> None:
    api, account = ledger.api, ledger.account_id
    expected = Decimal(ledger.opening) - sum(recorder.recorded.values(), Decimal(0))
    recorded = set(recorder.recorded)

    def settled() -> bool:
        created = client.snapshot()["created"]
        if not recorded <= set(created):
            return False
        return client.balance(account) == api.balance(account)

    waited = time.monotonic()
    wait_until(settled, SETTLE_SECONDS)
    snap = client.snapshot()
    print(
        f"settled in {time.monotonic() - waited:.1f}s; {len(recorded)} recorded; "
        + describe(client)
    )
    created: Any = snap["created"]
    api_balance = api.balance(account)
    context = describe(client)

    missing = sorted(recorded - set(created))
    assert not missing, f"{len(missing)} of {len(recorded)} never arrived; {context}"
    twice = {tx: n for tx, n in created.items() if tx in recorded and n != 1}
    assert not twice, f"transaction.created more than once: {twice}; {context}"
    assert Decimal(api_balance) == expected, (api_balance, expected)
    assert client.balance(account) == api_balance, context

    feed = api.events_after(after)
    lost = [event for event in feed if event["id"] not in snap["seen"]]
    assert not lost, f"{len(lost)} feed events never reached the client; {context}"
    in_feed = [
        event["data"]["transaction_id"]
        for event in feed
        if event["type"] == "transaction.created"
    ]
    assert sorted(in_feed) == sorted(recorded), "the feed disagrees with the 201s"


def test_killing_the_worker_mid_burst_loses_no_event(
    stack: Stack, ledger: Ledger, live: tuple[LiveClient, str | None]
) -> None:
    client, after = live
    recorder = Recorder(ledger.api, ledger.account_id)
    total = 60
    burst = recorder.burst_in_background(total, threads=3)

    assert wait_until(lambda: recorder.count >= total // 3, 30)
    stack.kill_worker()
    recorded_at_kill = recorder.count
    stack.start_worker(wait=False)
    burst.result(timeout=60)

    assert not recorder.failures, recorder.failures
    assert recorded_at_kill < total, "the worker died after the burst, not during it"
    assert recorder.count == total
    assert_everything_arrived(client, ledger, recorder, after)


def test_redis_going_away_loses_no_write_and_no_event(
    stack: Stack, ledger: Ledger, live: tuple[LiveClient, str | None]
) -> None:
    client, after = live
    recorder = Recorder(ledger.api, ledger.account_id)
    writers = recorder.steadily(threads=2, pause=0.1)
    try:
        assert wait_until(lambda: recorder.count >= 10, 15)
        stack.stop_redis()
        before_outage = recorder.count
        time.sleep(5)
        during_outage = recorder.count - before_outage
        stack.start_redis()
        connections = client.snapshot()["connections"]
        # Keep writing until the client is back, and a little after.
        wait_until(lambda: client.connections > connections, 20)
        time.sleep(1)
    finally:
        recorder.halt(writers)

    # Every broken promise at once: a failed write, a process that died, a lost event.
    problems = []
    if recorder.failures:
        problems.append(
            f"{len(recorder.failures)} writes failed while Redis was away, "
            f"{during_outage} succeeded; first: {recorder.failures[0]}"
        )
    for name in ("worker", "web"):
        if not stack.processes[name].running:
            problems.append(f"the {name} process exited when Redis went away")
    try:
        assert_everything_arrived(client, ledger, recorder, after)
    except AssertionError as error:
        problems.append(f"not everything arrived: {error}")
    assert not problems, "\n".join(problems)
    assert during_outage > 0, "no write was recorded while Redis was away"
    assert client.connections >= 2, "the socket should have dropped with Redis"


def test_restarting_the_web_process_loses_no_event(
    stack: Stack, ledger: Ledger, live: tuple[LiveClient, str | None]
) -> None:
    client, after = live
    recorder = Recorder(ledger.api, ledger.account_id)
    recorder.burst(5, threads=2)

    stack.stop_web()
    stack.start_web()
    recorder.burst(5, threads=2)  # as soon as the API is back
    assert client.wait_connected(2, timeout=20), describe(client)
    recorder.burst(5, threads=2)

    assert not recorder.failures, recorder.failures
    assert recorder.count == 15
    assert_everything_arrived(client, ledger, recorder, after)


def test_a_redis_blip_costs_nobody_a_socket_place(stack: Stack, ledger: Ledger) -> None:
    """Three sockets (the most one person may hold) see Redis restart in less than a
    heartbeat; all three must get back in, and go on receiving events.

    Sockets whose consumer died with the channel layer must not keep their places:
    otherwise the person's own reconnecting clients are turned away with 4429.
    """
    clients: list[tuple[LiveClient, str | None]] = []
    try:
        for _ in range(3):
            clients.append(open_client(stack, ledger))
        stack.stop_redis()
        stack.start_redis()
        back_at = time.monotonic()
        # A dead socket's place lapses after 3 heartbeats (its TTL) at the latest;
        # then each client needs a reconnect interval and a handshake.
        limit = 3 * HEARTBEAT_SECONDS + 3

        def every() -> bool:
            return all(client.connections >= 2 for client, _ in clients)

        wait_until(every, limit)
        took = [
            f"{client.connected_at[1] - back_at:.1f}s"
            if client.connections >= 2
            else "-"
            for client, _ in clients
        ]
        if not every():
            wait_until(every, 20)
            pytest.fail(
                f"after a Redis blip the person's own clients were turned away (4429): "
                f"back within {limit}s: {took}; all back 20s later: {every()}; "
                + "; ".join(describe(client) for client, _ in clients)
            )
        print(f"all three back after {took}")
        recorder = Recorder(ledger.api, ledger.account_id)
        recorder.burst(3, threads=1)
        assert not recorder.failures, recorder.failures
        for client, after in clients:
            assert_everything_arrived(client, ledger, recorder, after)
    finally:
        for client, _ in clients:
            client.stop()
