"""The live-updates benchmark on the production shape: how fast a recorded transaction
reaches its owner's open websocket, whether every event arrives exactly once, and how
many idle sockets one Daphne process holds.

bench/stack.py starts the Procfile's processes on a fresh `finance_bench_live`
database and the benchmark's Redis database number (flushed before and after: channel
layer, Celery broker and cache): gunicorn answers the API, Daphne holds the sockets,
the Celery worker relays the outbox and beat sweeps it every 5 s.

1. Latency: 1,000 people, one socket each (on Daphne), all held by this process.
   Transactions are recorded through gunicorn's `POST /api/v1/transactions` on a fixed
   schedule for randomly chosen people, at 25 and then 50 per second; for each, the
   time from reading the API's 201 (the write has committed by then) to reading, at
   that person's socket, the `balance.updated` naming the new transaction. Every
   transaction must bring exactly one `transaction.created` and one
   `balance.updated`, to its owner only. How long events waited in the outbox, how far
   Daphne fell behind on the channel layer and what the layer dropped say where the
   time (or an event) went.
2. Idle capacity: a fresh Daphne process (the Procfile's command, its heartbeat the
   production default unless BENCH_IDLE_HEARTBEAT says otherwise) is ramped to 10,000
   idle sockets in steps; each must get `connection.ready`, and Daphne's resident
   memory is read after every step.

Like bench/common.py, this process never imports Django: it is the client.

    python bench/live.py        (or `make bench-live`; `make bench` runs it too)
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import os
import random
import re
import resource
import secrets
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

# `python bench/live.py` puts bench/, not the project, first on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    HOST,
    RETRIABLE,
    Endpoint,
    idempotency_key,
    loadavg,
    percentiles,
    run_module,
    server_env,
)
from bench.ledger import (
    REDIS_URL,
    flush_redis,
    reset_database,
    server_errors,
    worker_errors,
)
from bench.sizes import size
from bench.stack import Stack

DATABASE = f"{os.environ.get('BENCH_DATABASE_PREFIX', 'finance_bench')}_live"

LATENCY_PEOPLE = size("BENCH_LIVE_PEOPLE", 1_000, 200)
RUN_SECONDS = size("BENCH_LIVE_SECONDS", 12, 4)
# (transactions per second, transactions): the goal's two rates
RUNS = tuple((rate, int(rate * RUN_SECONDS)) for rate in (25.0, 50.0))
HTTP_CLIENTS = 16  # enough that slow 201s do not hold the schedule back
POSTING_SLACK = 1.5
WARM_UP = 20
DRAIN_TIMEOUT_S = 15.0  # three outbox sweeps: what is still missing then is lost
GRACE_S = 6.0  # one more sweep, to catch duplicates

IDLE_GOAL = 10_000
IDLE_SOCKETS = size("BENCH_IDLE_SOCKETS", IDLE_GOAL, 1_000)
IDLE_STEPS = tuple(
    sorted(
        {s for s in (1_000, 2_000, 5_000, 10_000) if s < IDLE_SOCKETS} | {IDLE_SOCKETS}
    )
)
# One socket per person, as most people keep one tab open. (Three, the most one may
# hold, would let a handshake that timed out keep its place and refuse the retry.)
SOCKETS_PER_PERSON = 1
IDLE_PEOPLE = -(-IDLE_STEPS[-1] // SOCKETS_PER_PERSON)
IDLE_HEARTBEAT = os.environ.get("BENCH_IDLE_HEARTBEAT", "")  # "" = the product's
# Handshakes in flight at once. Daphne spends ~10 ms of CPU on each, so more in
# flight only queue inside it, and past its 5 s handshake timeout they fail.
CONNECT_CONCURRENCY = int(os.environ.get("BENCH_LIVE_CONNECT_CONCURRENCY", "50"))
OPEN_TIMEOUT_S = 60.0
IDLE_BUDGET_S = 170.0  # no handshake starts later than this into the ramp
GIVE_UP_SHARE = 0.05  # no further step when more of a step's sockets failed
SETTLE_S = 2.0

LATENCY_GOAL_MS = 100.0
STREAM = "/ws/v1/stream"
BACKLOG_KEYS = "finance:wsspecific.*!"  # settings' layer prefix + a process's key
LAYER_CAPACITY = 10_000  # config/settings.py CHANNEL_LAYERS capacity
EVENTS = ("transaction.created", "balance.updated")


# --- Services and processes ----------------------------------------------------------


def redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping())
    except Exception:  # any failure means "cannot run"
        return False


def redis_version() -> str:
    import redis

    return str(redis.Redis.from_url(REDIS_URL).info("server")["redis_version"])


def raise_fd_limit() -> dict[str, int]:
    """Soft limit up to the hard one, here, before any server is spawned: Daphne and
    the worker inherit it. Each socket costs a descriptor on both ends."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    return {"soft": soft, "hard": hard}


def live_env(
    workdir: Path, url: str, secret: str, heartbeat: str = ""
) -> dict[str, str]:
    """`server_env` on PostgreSQL and Redis, with one secret for every process: the
    people's tokens are signed with it."""
    env = server_env(workdir)
    env.update(DATABASE_URL=url, REDIS_URL=REDIS_URL, SECRET_KEY=secret)
    env.pop("WS_HEARTBEAT_SECONDS", None)
    if heartbeat:
        env["WS_HEARTBEAT_SECONDS"] = heartbeat
    return env


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


# --- Websocket clients --------------------------------------------------------------


async def open_socket(ws: Endpoint, access: str) -> tuple[Any, str | None]:
    """One socket, ready or not: (connection, None) or (None, why it failed)."""
    from websockets.asyncio.client import connect, unix_connect
    from websockets.exceptions import ConnectionClosed

    options: dict[str, Any] = {
        "additional_headers": {"Authorization": f"Bearer {access}"},
        "open_timeout": OPEN_TIMEOUT_S,
        "ping_interval": None,  # the server pings; the client only answers
        "close_timeout": 5,
        "compression": None,
    }
    try:
        if ws.path is not None:
            socket = await unix_connect(ws.path, f"ws://{HOST}{STREAM}", **options)
        else:
            socket = await connect(f"ws://{HOST}:{ws.port}{STREAM}", **options)
    except Exception as error:
        return None, _why(error)
    try:
        first = json.loads(await asyncio.wait_for(socket.recv(), OPEN_TIMEOUT_S))
    except ConnectionClosed as closed:
        return None, f"closed {closed.rcvd.code if closed.rcvd else 'abnormally'}"
    except Exception as error:
        socket.transport.abort()
        return None, f"ready: {type(error).__name__}"
    if first.get("type") != "connection.ready":
        socket.transport.abort()
        return None, f"first message {first.get('type')}"
    return socket, None


def _why(error: Exception) -> str:
    """A failed handshake, as the client saw it."""
    response = getattr(error, "response", None)
    if response is not None:  # InvalidStatus: the server answered, not 101
        return f"connect: HTTP {response.status_code}"
    if type(error).__name__ == "InvalidMessage":
        return "connect: closed before the handshake answer"
    return f"connect: {type(error).__name__}"


NOT_ATTEMPTED = "not attempted: time budget spent"


async def open_many(
    ws: Endpoint,
    tokens: list[str],
    concurrency: int = CONNECT_CONCURRENCY,
    deadline: float | None = None,
) -> tuple[list[Any], Counter[str]]:
    """Every token's socket, `concurrency` handshakes at a time, none started after
    `deadline` (monotonic); sockets in the tokens' order (None where it failed) and
    the failures by reason."""
    gate = asyncio.Semaphore(concurrency)

    async def one(access: str) -> tuple[Any, str | None]:
        async with gate:
            if deadline is not None and time.monotonic() > deadline:
                return None, NOT_ATTEMPTED
            return await open_socket(ws, access)

    opened = await asyncio.gather(*(one(access) for access in tokens))
    failures = Counter(reason for _, reason in opened if reason)
    return [socket for socket, _ in opened], failures


def abort_all(sockets: list[Any]) -> None:
    for socket in sockets:
        if socket is not None:
            socket.transport.abort()


@dataclass
class Inbox:
    """Every ledger event read at any socket: (type, transaction id) -> (client, when)."""

    seen: defaultdict[tuple[str, str], list[tuple[int, float]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    other: Counter[str] = field(default_factory=Counter)
    closed: Counter[str] = field(default_factory=Counter)

    async def read(self, client: int, socket: Any) -> None:
        from websockets.exceptions import ConnectionClosed

        try:
            async for raw in socket:
                now = time.monotonic()
                event = json.loads(raw)
                kind = event.get("type")
                transaction = (event.get("data") or {}).get("transaction_id")
                if kind in EVENTS and transaction:
                    self.seen[(kind, transaction)].append((client, now))
                else:
                    self.other[str(kind)] += 1
        except ConnectionClosed as closed:
            self.closed[str(closed.rcvd.code if closed.rcvd else "abnormal")] += 1

    def has_all(self, transaction_ids: list[str]) -> bool:
        return all((kind, tx) in self.seen for tx in transaction_ids for kind in EVENTS)

    async def wait_for(self, transaction_ids: list[str], timeout: float) -> float:
        """Seconds until every event of `transaction_ids` has been read (or timeout)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.has_all(transaction_ids):
                break
            await asyncio.sleep(0.05)
        return round(time.monotonic() - started, 2)


# --- HTTP ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Posted:
    client: int
    status: int
    transaction_id: str | None
    sent: float
    answered: float


class Poster:
    """`POST /api/v1/transactions` from a few threads, each on its own keep-alive
    connection; times are read on the same monotonic clock as the sockets'."""

    def __init__(self, web: Endpoint) -> None:
        self.web = web
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self.local, "connection", None) is None:
            self.local.connection = self.web.connection()
        return self.local.connection

    def post(
        self, client: int, person: dict[str, Any], number: int, cutoff: float
    ) -> Posted | None:
        """One transaction, unless its turn comes after `cutoff` (then None)."""
        if time.monotonic() > cutoff:
            return None
        body = json.dumps(
            {
                "type": "inflow",
                "account": person["account_id"],
                "amount": f"{1 + number % 50}.{number % 100:02d}",
                "date": date.today().isoformat(),
                "payee": "Live bench",
            }
        )
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {person['access']}",
            **idempotency_key(),
        }
        sent = time.monotonic()
        for attempt in range(2):
            connection = self._connection()
            try:
                connection.request("POST", "/api/v1/transactions", body, headers)
                response = connection.getresponse()
                raw = response.read()
                answered = time.monotonic()
                break
            except RETRIABLE:  # a kept connection gunicorn closed meanwhile
                connection.close()
                self.local.connection = None
                if attempt:
                    return Posted(client, 0, None, sent, time.monotonic())
            except (OSError, http.client.HTTPException):
                connection.close()
                self.local.connection = None
                return Posted(client, 0, None, sent, time.monotonic())
        found = json.loads(raw).get("id") if response.status == 201 else None
        return Posted(client, response.status, found, sent, answered)


async def post_at_rate(
    poster: Poster,
    pool: ThreadPoolExecutor,
    people: list[dict[str, Any]],
    targets: list[int],
    rate: float,
) -> tuple[list[Posted], float]:
    """One post per target, handed to the clients on a fixed schedule of `rate` per
    second. Those whose turn comes once the schedule has run half as long again are
    not sent: the server is overloaded, and the run would only grow longer."""
    loop = asyncio.get_running_loop()
    started = time.monotonic()
    cutoff = started + POSTING_SLACK * len(targets) / rate
    pending = []
    for number, client in enumerate(targets):
        delay = started + number / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        pending.append(
            loop.run_in_executor(
                pool, poster.post, client, people[client], number, cutoff
            )
        )
    posted = [post for post in await asyncio.gather(*pending) if post is not None]
    return posted, time.monotonic() - started


# --- 1. Latency ---------------------------------------------------------------------


async def latency_clients(
    web: Endpoint, ws: Endpoint, people: list[dict[str, Any]]
) -> dict[str, Any]:
    """Connect everyone, warm up, then each run: post at its rate and wait for its
    events. One grace period at the end catches late duplicates of every run."""
    started = time.monotonic()
    sockets, failures = await open_many(ws, [p["access"] for p in people])
    connect_s = time.monotonic() - started
    connected = [n for n, socket in enumerate(sockets) if socket is not None]
    if not connected:
        abort_all(sockets)
        raise RuntimeError(f"no socket opened: {dict(failures)}")
    inbox = Inbox()
    readers = [asyncio.create_task(inbox.read(n, sockets[n])) for n in connected]
    poster = Poster(web)
    chooser = random.Random(7)
    runs = []
    try:
        with ThreadPoolExecutor(HTTP_CLIENTS, thread_name_prefix="post") as pool:
            warm = [chooser.choice(connected) for _ in range(WARM_UP)]
            warm_posts, _ = await post_at_rate(poster, pool, people, warm, 5.0)
            warm_ids = [p.transaction_id for p in warm_posts if p.transaction_id]
            warm_s = await inbox.wait_for(warm_ids, 60)
            for rate, count in RUNS:
                targets = [chooser.choice(connected) for _ in range(count)]
                posts, seconds = await post_at_rate(poster, pool, people, targets, rate)
                ids = [p.transaction_id for p in posts if p.transaction_id]
                drain_s = await inbox.wait_for(ids, DRAIN_TIMEOUT_S)
                runs.append((rate, count, posts, seconds, drain_s))
        await asyncio.sleep(GRACE_S)
    finally:
        for reader in readers:
            reader.cancel()
        abort_all(sockets)
    return {
        "connected": len(connected),
        "connect_failures": dict(failures),
        "connect_seconds": round(connect_s, 1),
        "warm_up": {
            "transactions": WARM_UP,
            "delivered": inbox.has_all(warm_ids) and len(warm_ids) == WARM_UP,
            "seconds": warm_s,
        },
        "runs": runs,
        "inbox": inbox,
    }


def judge(posts: list[Posted], inbox: Inbox) -> dict[str, Any]:
    """Latency of each transaction's balance.updated at its owner's socket, and
    whether each event came exactly once, to the owner only."""
    created = [p for p in posts if p.transaction_id]
    delivery: dict[str, Counter[str]] = {kind: Counter() for kind in EVENTS}
    wrong_socket = 0
    raw_ms: list[float] = []
    from_sent_ms: list[float] = []
    for post in created:
        for kind in EVENTS:
            readings = inbox.seen.get((kind, post.transaction_id or ""), [])
            own = [when for client, when in readings if client == post.client]
            wrong_socket += len(readings) - len(own)
            delivery[kind][_once(len(own))] += 1
            if kind == "balance.updated" and own:
                raw_ms.append((min(own) - post.answered) * 1000)
                from_sent_ms.append((min(own) - post.sent) * 1000)
    early = sum(1 for ms in raw_ms if ms <= 0)
    return {
        "count": len(raw_ms),
        "balance_updated_after_201_ms": {
            **percentiles([max(ms, 0.0) for ms in raw_ms]),
            "min_raw": round(min(raw_ms), 2) if raw_ms else None,
            "arrived_before_201": early,
            "note": "event read minus 201 read; an event read before the 201 "
            f"(negative, {early} of {len(raw_ms)}) counts as 0 ms here",
        },
        "balance_updated_after_request_sent_ms": percentiles(from_sent_ms),
        "api_201_ms": percentiles([(p.answered - p.sent) * 1000 for p in created]),
        "delivery": {
            **{kind: dict(found) for kind, found in delivery.items()},
            "events_at_another_persons_socket": wrong_socket,
            "all_exactly_once": wrong_socket == 0
            and all(set(found) <= {"exactly_once"} for found in delivery.values()),
        },
    }


def _once(count: int) -> str:
    return {0: "missing", 1: "exactly_once"}.get(count, "duplicated")


def outbox_wait_ms(url: str, transaction_ids: list[str]) -> dict[str, Any]:
    """How long each balance.updated waited in the outbox (appended -> handed to
    the channel layer, both stamped by the application): the worker's share of the
    latency; the rest is the commit, and Daphne's."""
    import psycopg

    with psycopg.connect(url, connect_timeout=5) as connection:
        rows = connection.execute(
            "SELECT EXTRACT(EPOCH FROM published_at - occurred_at) * 1000 "
            "FROM shared_outboxevent WHERE type = 'balance.updated' "
            "AND published_at IS NOT NULL AND data->>'transaction_id' = ANY(%s)",
            (transaction_ids,),
        ).fetchall()
    return {**percentiles([float(row[0]) for row in rows]), "count": len(rows)}


def run_block(
    url: str,
    rate: float,
    planned: int,
    posts: list[Posted],
    seconds: float,
    drain_s: float,
) -> dict[str, Any]:
    created = [p.transaction_id for p in posts if p.transaction_id]
    return {
        "rate_target_per_s": rate,
        "rate_achieved_per_s": round(len(posts) / seconds, 1),
        "planned": planned,
        "posted": len(posts),
        "not_sent_server_too_far_behind": planned - len(posts),
        "answered_201": len(created),
        "errors": dict(Counter(str(p.status) for p in posts if p.status != 201)),
        "seconds_to_all_events": drain_s
        if drain_s < DRAIN_TIMEOUT_S
        else f"> {DRAIN_TIMEOUT_S:g} (gave up)",
        "outbox_wait_ms": outbox_wait_ms(url, created),
    }


def latency_phase(
    workdir: Path, url: str, secret: str, people: list[dict[str, Any]]
) -> dict[str, Any]:
    """The whole stack for this phase only; ended whatever happens."""
    env = live_env(workdir, url, secret)
    with Stack(env, workdir / "run-latency", label="latency") as stack:
        meter = stack.meter()
        with BacklogWatch() as backlog:
            found = asyncio.run(
                latency_clients(
                    stack.endpoint("web"), stack.endpoint("ws"), people[:LATENCY_PEOPLE]
                )
            )
        cpu = meter.stop()
        described = stack.describe()
        logs = {role: p.log for role, p in stack.processes.items()}
    inbox: Inbox = found["inbox"]
    runs = {
        f"{rate:g}_per_s": {
            **run_block(url, rate, count, posts, seconds, drain_s),
            **judge(posts, inbox),
        }
        for rate, count, posts, seconds, drain_s in found["runs"]
    }
    return {
        "stack": described,
        "people": LATENCY_PEOPLE,
        "sockets_per_person": 1,
        "connected": found["connected"],
        "connect_failures": found["connect_failures"],
        "connect_seconds": found["connect_seconds"],
        "connect_concurrency": CONNECT_CONCURRENCY,
        "heartbeat_seconds": "the product's default (WS_HEARTBEAT_SECONDS unset)",
        "warm_up": found["warm_up"],
        "transactions": "inflow of 1.00-50.99 EUR to a random connected person's "
        "empty cash account (no overdraft notices), each with an Idempotency-Key, "
        f"sent to gunicorn on a fixed schedule (open loop) from {HTTP_CLIENTS} "
        "keep-alive HTTP clients",
        "measured": "from reading the API's 201 (the write committed before it was "
        "sent) to reading, at the owner's socket on Daphne, the balance.updated "
        "naming that transaction; one process, one monotonic clock",
        "runs": runs,
        "other_messages": dict(inbox.other),
        "sockets_closed_by_server": dict(inbox.closed),
        "channel_layer": {
            "capacity": LAYER_CAPACITY,
            "peak_backlog_of_daphne": backlog.peak,
            "messages_dropped": sum(
                channel_layer_drops(logs[role]) for role in ("worker", "web")
            ),
            "note": "every socket of one Daphne process shares one channels_redis "
            "queue; once it holds `capacity` messages, group_send drops further "
            "ones silently (logged at INFO by the worker) while the outbox marks "
            "them published",
        },
        "grace_seconds": GRACE_S,
        "cpu_seconds": cpu,
        "server_errors": {role: server_errors(logs[role]) for role in ("web", "ws")},
        "worker_errors": worker_errors(logs["worker"]),
    }


OVER_CAPACITY = re.compile(r"(\d+) of \d+ channels over capacity")


def channel_layer_drops(log: Path) -> int:
    """Socket messages channels_redis dropped in group_send: their channel (all of
    one Daphne process's sockets share one) already held `capacity` messages."""
    text = log.read_text(errors="replace") if log.exists() else ""
    return sum(int(found) for found in OVER_CAPACITY.findall(text))


class BacklogWatch:
    """The deepest the server process's channel-layer queue got, sampled 10 times
    a second from Redis: how far Daphne fell behind the events sent to it."""

    def __init__(self) -> None:
        import redis

        self.redis = redis.Redis.from_url(REDIS_URL)
        self.peak = 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> BacklogWatch:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)

    def _watch(self) -> None:
        key = None
        while not self.stopping.wait(0.1):
            with contextlib.suppress(Exception):  # a missed sample, nothing more
                if key is None:  # the key exists only while messages wait
                    key = next(
                        self.redis.scan_iter(match=BACKLOG_KEYS, count=1000), None
                    )
                else:
                    self.peak = max(self.peak, int(self.redis.zcard(key)))


# --- 2. Idle capacity ---------------------------------------------------------------


async def idle_clients(ws: Endpoint, stack: Stack, tokens: list[str]) -> dict[str, Any]:
    """Ramp to each step's total, checking every socket is ready and reading RSS."""
    pid = stack.pid("ws")
    warm, _ = await open_many(ws, tokens[:10])
    for socket in warm:
        if socket is not None:
            await socket.close()
    await asyncio.sleep(SETTLE_S)
    baseline = rss_kib(pid)
    held: list[Any] = []
    steps: list[dict[str, Any]] = []
    deadline = time.monotonic() + IDLE_BUDGET_S
    try:
        for target in IDLE_STEPS:
            if time.monotonic() > deadline:
                break
            step = await _step(ws, pid, tokens, held, target, baseline, deadline)
            steps.append(step)
            if sum(step["failed"].values()) > GIVE_UP_SHARE * step["attempted"]:
                break
    finally:
        # Daphne first: ten thousand polite goodbyes would only slow its exit down;
        # and it is not measured any more, so it gets little time to wind down.
        await asyncio.to_thread(stack.stop, 5)
        abort_all(held)
    return {"baseline_rss_kib": baseline, "steps": steps}


async def _step(
    ws: Endpoint,
    pid: int,
    tokens: list[str],
    held: list[Any],
    target: int,
    baseline: int,
    deadline: float,
) -> dict[str, Any]:
    """Open up to `target` sockets in all; a handshake that failed is tried once
    more at the end of the step (a reconnecting browser would), at a gentler pace."""
    before = rss_kib(pid)
    count = len(held)
    wanted = tokens[count:target]
    started = time.monotonic()
    opened, first_failures = await open_many(ws, wanted, deadline=deadline)
    again = [
        access for access, socket in zip(wanted, opened, strict=True) if socket is None
    ]
    reopened, failures = await open_many(
        ws, again, concurrency=max(1, CONNECT_CONCURRENCY // 5), deadline=deadline
    )
    seconds = time.monotonic() - started
    held.extend(socket for socket in [*opened, *reopened] if socket is not None)
    await asyncio.sleep(SETTLE_S)
    after = rss_kib(pid)
    skipped = failures.pop(NOT_ATTEMPTED, 0)
    return {
        "target": target,
        "held": len(held),
        "ready": len(held) - count,
        "attempted": len(wanted) - skipped,
        "failed_first_try": dict(first_failures),
        "failed": dict(failures),
        "not_attempted_time_budget": skipped,
        "open_seconds": round(seconds, 1),
        "connects_per_s": round((len(held) - count) / seconds, 1) if seconds else None,
        "rss_before_kib": before,
        "rss_after_kib": after,
        "kib_per_socket_this_step": _per(after - before, len(held) - count),
        "kib_per_socket_since_baseline": _per(after - baseline, len(held)),
        "daphne_open_fds": open_fds(pid),
    }


def _per(kib: int, sockets: int) -> float | None:
    return round(kib / sockets, 1) if sockets else None


def idle_phase(
    workdir: Path,
    url: str,
    secret: str,
    people: list[dict[str, Any]],
    limits: dict[str, int],
) -> dict[str, Any]:
    env = live_env(workdir, url, secret, heartbeat=IDLE_HEARTBEAT)
    # socket k belongs to person k mod people: one each first, then a second...
    tokens = [people[k % len(people)]["access"] for k in range(IDLE_STEPS[-1])]
    stack = Stack(env, workdir / "run-idle", roles=("ws",), label="idle")
    with stack:
        described = stack.describe()
        log = stack.processes["ws"].log
        run = asyncio.run(idle_clients(stack.endpoint("ws"), stack, tokens))
    most = max((step["held"] for step in run["steps"]), default=0)
    last = run["steps"][-1] if run["steps"] else {}
    return {
        "stack": described,
        "goal_sockets": IDLE_GOAL,
        "people": len(people),
        "sockets_per_person": SOCKETS_PER_PERSON,
        "connect_concurrency": CONNECT_CONCURRENCY,
        "connect_concurrency_note": "Daphne is CPU-bound on handshakes; more in "
        "flight would only wait inside it (and fail past its 5 s handshake timeout)",
        "heartbeat_seconds": float(IDLE_HEARTBEAT)
        if IDLE_HEARTBEAT
        else "the product's default (WS_HEARTBEAT_SECONDS unset)",
        "heartbeat_note": "each socket's application heartbeat (and its Redis place "
        "refresh) runs as in production; Daphne's own protocol pings (every 20 s, "
        "its default) stay on and the client answers them",
        "transport": "unix socket, as the Procfile binds Daphne (no ephemeral-port "
        "limit on loopback)",
        "fd_limit": limits,
        **run,
        "max_sockets_held": most,
        "rss_kib_at_most": last.get("rss_after_kib"),
        "kib_per_socket": last.get("kib_per_socket_since_baseline"),
        "server_errors": server_errors(log),
    }


# --- Report -------------------------------------------------------------------------


def people_for(env: dict[str, str]) -> list[dict[str, Any]]:
    """Made without REDIS_URL: nothing about their creation waits for the worker."""
    quiet = {key: value for key, value in env.items() if key != "REDIS_URL"}
    return run_module(  # type: ignore[no-any-return]
        quiet,
        "bench.live_people",
        str(max(IDLE_PEOPLE, LATENCY_PEOPLE)),
        str(LATENCY_PEOPLE),
        timeout=300,
    )


def goals(latency: dict[str, Any], idle: dict[str, Any]) -> dict[str, Any]:
    """The latency goal for each rate, delivery over every run, idle capacity."""
    found = {}
    for name, run in latency["runs"].items():
        p95 = run["balance_updated_after_201_ms"]["p95"]
        found[f"balance_updated_p95_at_{name}"] = _goal(
            f"p95 < {LATENCY_GOAL_MS:g} ms on {latency['connected']:,} sockets",
            p95,
            p95 < LATENCY_GOAL_MS and run["answered_201"] > 0,
            rate_achieved_per_s=run["rate_achieved_per_s"],
            answered_201=run["answered_201"],
            planned=run["planned"],
        )
    exact = {
        name: run["delivery"]["all_exactly_once"]
        for name, run in latency["runs"].items()
    }
    found["every_event_exactly_once"] = _goal(
        "one transaction.created and one balance.updated per transaction, at its "
        "owner's socket only",
        exact,
        all(exact.values()),
    )
    most = idle["max_sockets_held"]
    found["idle_sockets_one_daphne"] = _goal(
        f">= {IDLE_GOAL:,} idle sockets on one Daphne process", most, most >= IDLE_GOAL
    )
    skipped = sum(step["not_attempted_time_budget"] for step in idle["steps"])
    if skipped:
        found["idle_sockets_one_daphne"]["note"] = (
            f"{skipped} sockets not attempted: the {IDLE_BUDGET_S:g} s time budget "
            "ran out (handshakes were slower than usual: see the load averages)"
        )
    return found


def _goal(target: str, measured: Any, met: bool, **more: Any) -> dict[str, Any]:
    return {
        "target": target,
        "measured": measured,
        "met": "yes" if met else "no",
        **more,
    }


def prepare(workdir: Path, secret: str) -> tuple[str, list[dict[str, Any]]]:
    """A fresh database, migrated, with its people; an empty Redis database."""
    from bench.common import manage

    url = reset_database(DATABASE)
    flush_redis()
    env = live_env(workdir, url, secret)
    env.pop("REDIS_URL")
    manage(env, "migrate", "--noinput", "-v", "0")
    return url, people_for(env)


def run(workdir: Path, phase: Any, limits: dict[str, int]) -> dict[str, Any]:
    workdir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    loads: dict[str, list[float]] = {}

    def timed(name: str, action: Any) -> Any:
        loads[name] = loadavg()
        return phase(name, action)

    try:
        url, people = timed("live_setup", lambda: prepare(workdir, secret))
        latency = timed(
            "live_latency", lambda: latency_phase(workdir, url, secret, people)
        )
        flush_redis()  # the first server's places and groups must not linger
        idle = timed(
            "live_idle",
            lambda: idle_phase(workdir, url, secret, people[:IDLE_PEOPLE], limits),
        )
    finally:
        flush_redis()  # places, groups and queues that are no longer anyone's
    return {
        "inputs": {
            "latency_people": LATENCY_PEOPLE,
            "runs": [{"rate_per_s": rate, "transactions": n} for rate, n in RUNS],
            "idle_steps": list(IDLE_STEPS),
            "idle_budget_s": IDLE_BUDGET_S,
            "database": DATABASE,
            "redis": REDIS_URL,
        },
        "load_average_at_phase_start": loads,
        "latency": latency,
        "idle": idle,
        "goals": goals(latency, idle),
    }


def print_report(report: dict[str, Any]) -> None:
    latency, idle = report["latency"], report["idle"]
    print(f"\nlive: {latency['connected']} sockets on Daphne, writes through gunicorn")
    print("balance.updated after the 201 (ms; sent: after the request was sent)")
    print(
        f"{'rate/s':>7}{'done/s':>8}{'201s':>6}{'p50':>9}{'p95':>9}{'p99':>9}"
        f"{'max':>9}{'sent p95':>10}{'outbox p50':>11}  created / balance.updated"
    )
    for run in latency["runs"].values():
        after, delivery = run["balance_updated_after_201_ms"], run["delivery"]
        print(
            f"{run['rate_target_per_s']:>7g}{run['rate_achieved_per_s']:>8}"
            f"{run['answered_201']:>6}{after['p50']:>9}{after['p95']:>9}"
            f"{after['p99']:>9}{after['max']:>9}"
            f"{run['balance_updated_after_request_sent_ms']['p95']:>10}"
            f"{run['outbox_wait_ms']['p50']:>11}  "
            f"{delivery['transaction.created']} / {delivery['balance.updated']}"
        )
    layer = latency["channel_layer"]
    print(
        f"channel layer: peak backlog {layer['peak_backlog_of_daphne']} of "
        f"{layer['capacity']}, {layer['messages_dropped']} messages dropped"
    )
    for step in idle["steps"]:
        print(
            f"idle {step['target']:>6}: held {step['held']:>6}, failed "
            f"{sum(step['failed'].values()):>4}, {step['open_seconds']:>6} s, RSS "
            f"{step['rss_after_kib'] // 1024} MiB, "
            f"{step['kib_per_socket_since_baseline']} KiB/socket"
        )


def available() -> str | None:
    """Why the live benchmark cannot run here, or None."""
    from bench.ledger import ADMIN_URL, postgres_reachable

    if not postgres_reachable():
        return f"no PostgreSQL at {ADMIN_URL}"
    if not redis_reachable():
        return f"no Redis at {REDIS_URL}"
    return None


if __name__ == "__main__":
    # `make bench-live`: the same run and results file as `make bench`, live part only
    from bench import run as bench_run

    bench_run.main(["--only", "live"])
