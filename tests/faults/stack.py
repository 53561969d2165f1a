"""One test's own processes: a `redis-server`, a Celery worker with the embedded beat
(the 5 s outbox sweep) and Daphne, each in its own process group so that it (and only
it) can be stopped, killed or restarted; their logs go to the test's tmp dir.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.faults.live_client import Api

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_SERVER = Path("/usr/bin/redis-server")
FAULTS_DATABASE = "finance_faults"
EMAIL = "faults@example.com"
PASSWORD = "fault-injection-passphrase-42"
STARTUP_TIMEOUT = 30.0
LOG_TAIL = 4000
HEARTBEAT_SECONDS = 2  # WS_HEARTBEAT_SECONDS: heartbeats and socket places refresh

SEED_USER = f"""
from django.utils import timezone
from modules.identity.infrastructure.models import User
User.objects.create_user({EMAIL!r}, {PASSWORD!r}, email_verified_at=timezone.now())
"""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _port_open(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(50))


def base_env(database_url: str, tmp_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DJANGO_SETTINGS_MODULE", "REDIS_URL", "COV_CORE_SOURCE"):
        env.pop(name, None)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        REDIS_URL="",
        SECRET_KEY=_secret_key(),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        EMAIL_URL=f"file://{tmp_dir / 'mail'}",
        WS_HEARTBEAT_SECONDS=str(HEARTBEAT_SECONDS),
        API_USER_RATE="100000/min",
        API_ANON_RATE="100000/min",
        API_AUTH_RATE="100000/min",
        LOG_LEVEL="INFO",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if done.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{done.stdout}\n{done.stderr}")


@dataclass
class Process:
    """One child process started in its own session (so its whole group can be
    signalled), logging to a file."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log.open("ab") as output:
            output.write(f"\n--- start {' '.join(self.command)}\n".encode())
            output.flush()
            self.popen = subprocess.Popen(
                self.command,
                cwd=BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def signal_group(self, sig: signal.Signals) -> None:
        if self.popen is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, sig)

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 15) -> None:
        """Signal the process (SIGKILL: its whole group) and reap it; escalate to
        SIGKILL on the group when it does not exit in time."""
        if self.popen is None:
            return
        if sig == signal.SIGKILL:
            self.signal_group(sig)
        elif self.popen.poll() is None:
            self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal_group(signal.SIGKILL)
            self.popen.wait(timeout=10)
        # Children that outlived their parent (prefork pool, embedded beat).
        self.signal_group(signal.SIGKILL)

    def tail(self, size: int = LOG_TAIL) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"===== {self.name} ({self.log}) =====\n{text[-size:]}"


@dataclass
class Stack:
    """A test's own Redis, worker (with beat) and Daphne."""

    tmp_dir: Path
    database_url: str
    redis_port: int = field(default_factory=free_port)
    web_port: int = field(default_factory=free_port)
    processes: dict[str, Process] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.env = base_env(self.database_url, self.tmp_dir)
        self.env.update(
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            SITE_URL=self.base_url,
        )
        self._worker_ready: Any = lambda: False

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.web_port}/ws/v1/stream"

    def api(self) -> Api:
        return Api(self.base_url)

    def _process(self, name: str, command: list[str]) -> Process:
        process = self.processes.get(name)
        if process is None:
            process = Process(name, command, self.env, self.tmp_dir / f"{name}.log")
            self.processes[name] = process
        return process

    def _wait(self, what: str, ready: Any, process: Process) -> None:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if not process.running:
                pytest.fail(f"{process.name} exited while starting:\n{process.tail()}")
            if ready():
                return
            time.sleep(0.1)
        pytest.fail(f"{what} not ready in {STARTUP_TIMEOUT}s:\n{self.tails()}")

    # --- Redis ---------------------------------------------------------------------

    def start_redis(self) -> None:
        command = [
            str(REDIS_SERVER),
            "--port",
            str(self.redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.tmp_dir),
        ]
        process = self._process("redis", command).start()
        self._wait("redis-server", self._redis_answers, process)

    def _redis_answers(self) -> bool:
        import redis

        client = redis.Redis(port=self.redis_port, socket_connect_timeout=0.5)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def stop_redis(self) -> None:
        self.processes["redis"].stop(signal.SIGTERM)
        assert not _port_open(self.redis_port), "redis-server still listening"

    # --- Celery worker with the embedded beat --------------------------------------

    def start_worker(self, *, wait: bool = True) -> None:
        """Start a worker; with `wait`, return once it says it is ready."""
        command = [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-B",
            "-s",
            str(self.tmp_dir / "beat-schedule"),
            "-l",
            "info",
            "--concurrency",
            "2",
            "--without-gossip",
            "--without-mingle",
        ]
        process = self._process("worker", command)
        seen = process.log.read_text().count(" ready.") if process.log.exists() else 0
        process.start()
        self._worker_ready = lambda: process.log.read_text().count(" ready.") > seen
        if wait:
            self.wait_worker()

    def wait_worker(self) -> None:
        self._wait("celery worker", self._worker_ready, self.processes["worker"])

    def kill_worker(self) -> None:
        """SIGKILL the worker and every child (pool processes, beat) at once."""
        self.processes["worker"].stop(signal.SIGKILL)

    # --- Daphne --------------------------------------------------------------------

    def start_web(self) -> None:
        command = [
            str(BIN / "daphne"),
            "-b",
            "127.0.0.1",
            "-p",
            str(self.web_port),
            "config.asgi:application",
        ]
        process = self._process("web", command).start()
        self._wait("daphne", self._web_ready, process)

    def _web_ready(self) -> bool:
        try:
            with urllib.request.urlopen(  # noqa: S310 - our own http URL
                f"{self.base_url}/health/ready/", timeout=2
            ) as response:
                return bool(response.status == 200)
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            return False

    def stop_web(self) -> None:
        self.processes["web"].stop(signal.SIGTERM)
        assert not _port_open(self.web_port), "daphne still listening"

    # --- All of it -----------------------------------------------------------------

    def start(self) -> Stack:
        self.start_redis()
        self.start_worker(wait=False)  # boots while Daphne does
        self.start_web()
        self.wait_worker()
        return self

    def stop(self) -> None:
        for name in ("web", "worker", "redis"):
            if name in self.processes:
                self.processes[name].stop(signal.SIGTERM, timeout=10)

    def tails(self) -> str:
        return "\n".join(process.tail() for process in self.processes.values())


@dataclass
class Ledger:
    """A signed-in person with a fresh EUR account, and what they recorded."""

    api: Api
    access: str
    account_id: str
    opening: str
