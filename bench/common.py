"""What every benchmark here shares: where a server listens (TCP or a unix socket), its
environment, keep-alive load clients that time every request, and CPU accounting.

Kept free of Django imports so the load generator never shares a process (or a GIL)
with the server it measures.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
TRANSFER_ACCOUNTS = 4
TRANSFER_ACCOUNT_NAMES = ["Checking", "Savings", "Wallet", "Brokerage"]
OK_STATUSES = (200, 201)

# (client index, request index) -> (method, path, JSON body or None[, headers]),
# or None when that client has nothing more to send
Plan = Callable[[int, int], "tuple[Any, ...] | None"]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP/1.1 over a unix socket; the Host header stays 127.0.0.1 (ALLOWED_HOSTS)."""

    def __init__(self, path: str, timeout: float) -> None:
        super().__init__(HOST, timeout=timeout)
        self.unix_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.unix_path)
        self.sock = sock


@dataclass(frozen=True)
class Endpoint:
    """Where a server listens: a TCP port on loopback or a unix socket."""

    port: int | None = None
    path: str | None = None

    def connection(self, timeout: float = 30) -> http.client.HTTPConnection:
        if self.path is not None:
            return UnixHTTPConnection(self.path, timeout)
        return http.client.HTTPConnection(HOST, self.port, timeout=timeout)

    def __str__(self) -> str:
        return f"unix:{self.path}" if self.path else f"{HOST}:{self.port}"


def server_env(workdir: Path, site_url: str = f"http://{HOST}:8000") -> dict[str, str]:
    """The servers' own environment: production-like (DEBUG off), rate limits out of
    the way so the benchmark measures the code, not the throttle."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(48),
        DEBUG="false",
        LOG_LEVEL="WARNING",
        GUNICORN_LOG_LEVEL="warning",
        EMAIL_URL=f"file://{workdir / 'mail'}",
        SITE_URL=site_url,
        API_USER_RATE="1000000/min",
        API_ANON_RATE="1000000/min",
        API_AUTH_RATE="1000000/min",
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
    )


def run_module(env: dict[str, str], module: str, *args: str, timeout: float) -> Any:
    """Run `python -m bench.MODULE` in its own process; its last stdout line is JSON."""
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=timeout,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def request(
    endpoint: Endpoint,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
    raw: bytes | None = None,
) -> tuple[int, bytes, http.client.HTTPResponse]:
    connection = endpoint.connection()
    try:
        payload = (
            raw if raw is not None else (json.dumps(body) if body is not None else None)
        )
        content_type = (
            "application/x-www-form-urlencoded"
            if raw is not None
            else "application/json"
        )
        all_headers = {"Content-Type": content_type, **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read(), response
    finally:
        connection.close()


def sign_in(endpoint: Endpoint, email: str, password: str) -> dict[str, str]:
    """A Bearer header for an existing, verified user."""
    status, body, _ = request(
        endpoint, "POST", "/api/v1/sessions", {"email": email, "password": password}
    )
    assert status == 201, body
    return {"Authorization": f"Bearer {json.loads(body)['access']}"}


def wait_for_health(endpoint: Endpoint, process: Any, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server at {endpoint} exited ({process.returncode})")
        with contextlib.suppress(OSError, http.client.HTTPException):
            if request(endpoint, "GET", "/health/")[0] == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server at {endpoint} did not answer /health/ in {seconds} s")


def get_plan(path: str) -> Plan:
    return lambda _client, _index: ("GET", path, None)


def idempotency_key() -> dict[str, str]:
    return {"Idempotency-Key": f"bench-{uuid.uuid4()}"}


def shared_plan(
    items: list[Any], clients: int, make: Callable[[Any], tuple[Any, ...]]
) -> Plan:
    """`items` dealt round-robin to `clients`: client c sends c, c+clients, ..."""

    def plan(client: int, index: int) -> tuple[Any, ...] | None:
        number = index * clients + client
        return make(items[number]) if number < len(items) else None

    return plan


def load(
    endpoint: Endpoint,
    plan: Plan,
    headers: dict[str, str],
    *,
    clients: int,
    per_client: int,
    budget_s: float = 120,
) -> dict[str, Any]:
    """`clients` threads, each on its own keep-alive connection, timing every request.
    Each client stops early once `budget_s` has passed, so a slow server cannot hang
    `make bench`; the figures then say how many requests were actually made."""
    samples: list[float] = []
    errors: list[int] = []
    bodies: list[str] = []
    retries: list[int] = []
    lock = threading.Lock()
    deadline = time.monotonic() + budget_s

    def client(number: int) -> None:
        own, failed, seen, again = _client_loop(
            endpoint, plan, headers, number, per_client, deadline
        )
        with lock:
            samples.extend(own)
            errors.extend(failed)
            bodies.extend(seen)
            retries.append(again)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    found = summarize(samples, elapsed, errors)
    found["clients"] = clients
    found["seconds"] = round(elapsed, 2)
    found["stopped_by_time_budget"] = time.monotonic() > deadline
    found["reconnect_retries"] = sum(retries)
    if bodies:
        found["error_samples"] = bodies[:3]
    return found


# A kept-alive connection the server closed meanwhile (gunicorn's keepalive, a worker
# replaced after max_requests): the request is sent again once on a new connection,
# as HTTP clients do. Every POST here carries an Idempotency-Key, so that is safe.
RETRIABLE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


def _client_loop(
    endpoint: Endpoint,
    plan: Plan,
    headers: dict[str, str],
    number: int,
    count: int,
    deadline: float,
) -> tuple[list[float], list[int], list[str], int]:
    connection = endpoint.connection()
    own: list[float] = []
    failed: list[int] = []
    seen: list[str] = []
    retried = 0
    for index in range(count):
        if time.monotonic() > deadline:
            break
        step = plan(number, index)
        if step is None:
            break
        method, path, body, *extra = step
        payload = json.dumps(body) if body is not None else None
        all_headers = {
            "Content-Type": "application/json",
            **headers,
            **(extra[0] if extra else {}),
        }
        started = time.perf_counter()
        status, text = 0, b""
        for attempt in range(2):
            try:
                connection.request(method, path, body=payload, headers=all_headers)
                response = connection.getresponse()
                text = response.read()
                status = response.status
                break
            except RETRIABLE:
                connection.close()
                connection = endpoint.connection()
                retried += 1
                if attempt:
                    status = 0
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = endpoint.connection()
                status = 0
                break
        own.append((time.perf_counter() - started) * 1000)
        if status not in OK_STATUSES:
            failed.append(status)
            if len(seen) < 3:
                seen.append(f"{status} {method} {path[:80]}: {text[:300]!r}")
    connection.close()
    return own, failed, seen, retried


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values) or [0.0]

    def cut(quantile: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(quantile * len(ordered)))], 2)

    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": cut(0.95),
        "p99": cut(0.99),
        "max": round(ordered[-1], 2),
    }


def summarize(
    samples: list[float], elapsed: float, errors: list[int]
) -> dict[str, Any]:
    cuts = percentiles(samples)
    return {
        "requests": len(samples),
        "errors": len(errors),
        "error_statuses": dict(Counter(str(status) for status in errors)),
        "throughput_rps": round(len(samples) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": cuts["p50"],
        "p95_ms": cuts["p95"],
        "p99_ms": cuts["p99"],
        "max_ms": cuts["max"],
    }


def transfer_plan(count: int) -> list[tuple[int, int, str, date]]:
    """The same `count` transfers for both ledgers compared: (from, to) among four
    accounts in turn, amounts as decimal strings, dates over one year."""
    pairs = list(itertools.permutations(range(TRANSFER_ACCOUNTS), 2))
    first = date(2025, 1, 1)
    return [
        (
            *pairs[index % len(pairs)],
            f"{1 + index % 250}.{index % 100:02d}",
            first + timedelta(days=index % 365),
        )
        for index in range(count)
    ]


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `action` over `repeat` runs, in milliseconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 3)


# --- CPU accounting -------------------------------------------------------------------


def _stat(pid: int | str) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _ticks() -> int:
    return os.sysconf("SC_CLK_TCK")


def group_cpu_s(group: int) -> float:
    """CPU of every process in a process group so far, counting the children it has
    already reaped (gunicorn replaces its workers now and then)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = _stat(entry.name)
                if int(fields[2]) == group:
                    total += sum(int(x) for x in fields[11:15])
    return total / _ticks()


def machine_busy_s() -> float:
    """CPU seconds the whole machine has spent busy (all cores, every process)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / _ticks()


class CpuMeter:
    """Where the machine's CPU went between start and `stop()`: each server process
    group, this client, and everything else (PostgreSQL, Redis, and any other work on
    the machine, which makes every figure here slower)."""

    def __init__(self, groups: dict[str, int]) -> None:
        self.groups = groups
        self.before = self._sample()

    def _sample(self) -> dict[str, float]:
        found = {name: group_cpu_s(pid) for name, pid in self.groups.items()}
        found.update(
            wall=time.monotonic(), busy=machine_busy_s(), client=time.process_time()
        )
        return found

    def stop(self) -> dict[str, float]:
        after = self._sample()
        spent = {name: after[name] - self.before[name] for name in after}
        wall = spent.pop("wall")
        busy = spent.pop("busy")
        own = sum(spent.values())
        return {
            "wall_seconds": round(wall, 1),
            "cores_busy_on_average": round(busy / wall, 2) if wall else 0.0,
            **{name: round(value, 1) for name, value in spent.items()},
            "everything_else": round(busy - own, 1),
        }


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]
