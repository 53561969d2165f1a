"""What every benchmark here shares: a real Daphne server on loopback, its environment,
and keep-alive load clients that time every request.

Kept free of Django imports so the load generator never shares a process (or a GIL)
with the server it measures.
"""

from __future__ import annotations

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
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
TRANSFER_ACCOUNTS = 4
TRANSFER_ACCOUNT_NAMES = ["Checking", "Savings", "Wallet", "Brokerage"]

# (client index, request index) -> (method, path, JSON body or None)
Plan = Callable[[int, int], tuple[str, str, Any]]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def server_env(port: int, workdir: Path) -> dict[str, str]:
    """The server's own environment: production-like (DEBUG off), rate limits out of
    the way so the benchmark measures the code, not the throttle."""
    env = dict(os.environ)
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        SECRET_KEY=secrets.token_urlsafe(48),
        DEBUG="false",
        LOG_LEVEL="WARNING",
        EMAIL_URL=f"file://{workdir / 'mail'}",
        SITE_URL=f"http://{HOST}:{port}",
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


def start_server(
    env: dict[str, str], port: int, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Daphne as `make run` starts it; its output goes to `log` when given, so the
    errors behind failed requests can be reported."""
    daphne = Path(sys.executable).parent / "daphne"
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [str(daphne), "-b", HOST, "-p", str(port), "config.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=output,
        stderr=output,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if request(port, "GET", "/health/")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def request(
    port: int,
    method: str,
    path: str,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        payload = json.dumps(body) if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def sign_in(port: int, email: str, password: str) -> dict[str, str]:
    """A Bearer header for an existing, verified user."""
    status, body = request(
        port, "POST", "/api/v1/sessions", {"email": email, "password": password}
    )
    assert status == 201, body
    return {"Authorization": f"Bearer {json.loads(body)['access']}"}


def get_plan(path: str) -> Plan:
    return lambda _client, _index: ("GET", path, None)


def load(
    port: int,
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
    lock = threading.Lock()
    deadline = time.monotonic() + budget_s

    def client(number: int) -> None:
        own, failed = _client_loop(port, plan, headers, number, per_client, deadline)
        with lock:
            samples.extend(own)
            errors.extend(failed)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return summarize(samples, elapsed, errors)


def _client_loop(
    port: int,
    plan: Plan,
    headers: dict[str, str],
    number: int,
    count: int,
    deadline: float,
) -> tuple[list[float], list[int]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    all_headers = {"Content-Type": "application/json", **headers}
    own: list[float] = []
    failed: list[int] = []
    for index in range(count):
        if time.monotonic() > deadline:
            break
        method, path, body = plan(number, index)
        payload = json.dumps(body) if body is not None else None
        started = time.perf_counter()
        try:
            connection.request(method, path, body=payload, headers=all_headers)
            response = connection.getresponse()
            response.read()
            status = response.status
        except (OSError, http.client.HTTPException):
            connection.close()
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            status = 0
        own.append((time.perf_counter() - started) * 1000)
        if status not in (200, 201):
            failed.append(status)
    connection.close()
    return own, failed


def summarize(
    samples: list[float], elapsed: float, errors: list[int]
) -> dict[str, Any]:
    ordered = sorted(samples) or [0.0]

    def cut(quantile: float) -> float:
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    return {
        "requests": len(samples),
        "errors": len(errors),
        "error_statuses": dict(Counter(str(status) for status in errors)),
        "throughput_rps": round(len(samples) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(cut(0.95), 2),
        "p99_ms": round(cut(0.99), 2),
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


def run_within(
    items: list[Any], action: Callable[[Any], object], budget_s: float
) -> tuple[int, float]:
    """`action` on each item until all are done or `budget_s` has passed, so a slow
    library cannot hold up `make bench`. Returns (items done, seconds taken)."""
    started = time.perf_counter()
    done = 0
    for item in items:
        if time.perf_counter() - started > budget_s:
            break
        action(item)
        done += 1
    return done, time.perf_counter() - started


def cpu_seconds(connection: Any) -> tuple[float, float | None]:
    """CPU used so far by this process and by the PostgreSQL backend serving
    `connection` (read from /proc; None where the server is not local). Unlike wall
    time, CPU per operation barely moves when other work shares the machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        backend: float | None = (int(fields[11]) + int(fields[12])) / os.sysconf(
            "SC_CLK_TCK"
        )
    except (OSError, IndexError, ValueError):
        backend = None
    return time.process_time(), backend


def cpu_ms_per(
    before: tuple[float, float | None], after: tuple[float, float | None], count: int
) -> dict[str, float | None]:
    python = (after[0] - before[0]) * 1000 / max(count, 1)
    database = (
        (after[1] - before[1]) * 1000 / max(count, 1)
        if after[1] is not None and before[1] is not None
        else None
    )
    return {
        "python": round(python, 3),
        "postgres": round(database, 3) if database is not None else None,
    }


def median_ms(action: Callable[[], object], repeat: int) -> float:
    """Median wall time of `action` over `repeat` runs, in milliseconds."""
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(timings), 3)
