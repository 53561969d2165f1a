"""`make up`'s stack, for real: `compose/stack.py up` checks, migrates and collects,
then runs the Procfile with honcho (proxy, gunicorn, Daphne, Celery worker and beat)
against the test database and a Redis of its own on a free port; `down` stops it.

One origin serves it all: readiness and a static file (DEBUG=false, whitenoise) come
from gunicorn through the proxy, the websocket opens on the same host and port and
reaches Daphne, and a transaction recorded by a request reaches that socket by way
of the outbox, the Celery worker and the Redis channel layer. Afterwards not one of
the processes it started may be left (ADR 0009).

The test's own processes are started with tests/faults/stack.py's helpers.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from tests.conftest import REQUIRED
from tests.faults.live_client import Api, LiveClient, wait_until
from tests.faults.stack import (
    BASE_DIR,
    REDIS_SERVER,
    Stack,
    _port_open,
    base_env,
    free_port,
)

STACK = BASE_DIR / "compose" / "stack.py"
EMAIL = "shape@example.com"
PASSWORD = "production-shape-passphrase-42"
WEB_WORKERS = 2
COMMAND_TIMEOUT = 90


def _database_url() -> str:
    """The test database (pytest-django's, already migrated), as a URL."""
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db["PASSWORD"]:
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    location = f"{host}:{db['PORT']}" if db["PORT"] else host
    return f"postgres://{auth}{'@' if auth else ''}{location}/{db['NAME']}"


def _stack(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(STACK), command],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


def _alive(pid: int) -> bool:
    """The process (not yet a zombie) exists."""
    try:
        os.kill(pid, 0)
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[-1]
    except (ProcessLookupError, FileNotFoundError):
        return False
    return not state.startswith("Z")


@dataclass
class Running:
    base_url: str
    run_dir: Path

    @property
    def ws_url(self) -> str:
        return self.base_url.replace("http://", "ws://") + "/ws/v1/stream"

    def log(self) -> str:
        path = self.run_dir / "stack.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def pids(self) -> dict[str, int]:
        """Each Procfile process and the pid honcho started it with."""
        return {
            name: int(pid)
            for name, pid in re.findall(r"(\w+)\.1 started \(pid=(\d+)\)", self.log())
        }


@pytest.fixture
def production_stack(transactional_db: None, tmp_path: Path) -> Iterator[Running]:
    if not REDIS_SERVER.exists():
        reason = f"needs {REDIS_SERVER} for a Redis of its own"
        if REQUIRED:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {reason}")
        pytest.skip(reason)
    from modules.identity.infrastructure.models import User

    User.objects.create_user(EMAIL, PASSWORD, email_verified_at=timezone.now())
    database_url = _database_url()
    redis = Stack(tmp_path, database_url)
    # Unix socket paths must stay under 108 bytes: a short directory of its own.
    run_dir = Path(tempfile.mkdtemp(prefix="finance-up-"))
    port = free_port()
    running = Running(f"http://127.0.0.1:{port}", run_dir)
    env = base_env(database_url, tmp_path)
    env.update(
        REDIS_URL=f"redis://127.0.0.1:{redis.redis_port}/0",
        RUN_DIR=str(run_dir),
        PORT=str(port),
        SITE_URL=running.base_url,
        WEB_CONCURRENCY=str(WEB_WORKERS),
        WORKER_CONCURRENCY="1",
        UP_TIMEOUT="40",
    )
    try:
        redis.start_redis()
        started = _stack("up", env)
        assert started.returncode == 0, started.stdout + started.stderr
        yield running
    finally:
        pids = running.pids()
        stopped = _stack("down", env)
        try:
            assert stopped.returncode == 0, stopped.stdout + stopped.stderr
            assert wait_until(lambda: not any(map(_alive, pids.values())), 10), (
                f"left running: {[name for name, pid in pids.items() if _alive(pid)]}"
            )
            assert not _port_open(port), "the proxy still listens"
        finally:
            redis.stop()
            log = running.log()
            shutil.rmtree(run_dir, ignore_errors=True)
            print(log[-6000:])


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own URL
        return response.status, response.read()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.timeout(120)
def test_the_stack_serves_pages_api_and_live_events_from_one_origin(
    production_stack: Running,
) -> None:
    stack = production_stack
    assert set(stack.pids()) == {"proxy", "web", "ws", "worker", "beat"}
    log = stack.log()
    assert log.count("Booting worker with pid") == WEB_WORKERS, "gunicorn workers"

    status, body = _get(f"{stack.base_url}/health/ready/")
    assert status == 200
    assert json.loads(body)["checks"] == {
        "database": "ok",
        "redis": "ok",
        "broker": "ok",
    }
    status, script = _get(f"{stack.base_url}/static/js/live.js")
    assert status == 200 and b"/ws/v1/stream" in script  # whitenoise, DEBUG=false

    api = Api(stack.base_url)
    access = api.sign_in(EMAIL, PASSWORD)
    client = LiveClient(stack.ws_url, access).start()
    try:
        assert client.wait_connected(timeout=10), client.snapshot()["closes"]
        account = api.request(
            "POST",
            "/api/v1/accounts",
            {
                "name": "Everyday",
                "kind": "checking",
                "currency": "EUR",
                "opening_balance": "100.00",
            },
        )
        created = api.request(
            "POST",
            "/api/v1/transactions",
            {
                "type": "outflow",
                "account": account["id"],
                "amount": "12.50",
                "date": date.today().isoformat(),
            },
        )
        assert created["_status"] == 201
        assert wait_until(lambda: client.created[str(created["id"])] == 1, 15), (
            client.snapshot()
        )
        assert wait_until(lambda: client.balance(account["id"]) == "87.50", 5)
    finally:
        client.stop()
    # The web process only published the relay; the worker ran it. The event can
    # reach the socket before the worker logs the task's end: wait for the line.
    assert wait_until(lambda: _worker_relayed(stack.log()), 10), (
        "the worker relayed nothing"
    )


def _worker_relayed(log: str) -> bool:
    return any(
        " worker.1 " in line and "live.relay_outbox" in line and "succeeded" in line
        for line in log.splitlines()
    )


def test_make_up_names_the_missing_variables_in_one_line() -> None:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "REDIS_URL")
    }
    if (BASE_DIR / ".env").exists():
        pytest.skip("a .env file may set them")
    done = _stack("check", env)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: make up needs DATABASE_URL and REDIS_URL")
