"""A real server (migrated database, Daphne), an SMTP sink that catches its mail, and
a headless Chromium: what a person signing up meets, end to end.

Chromium is the system one; `playwright install` is never run. Without it the tests
skip, unless `REQUIRE_BROWSER=1` (CI), where a missing browser is a failure.
"""

from __future__ import annotations

import os
import secrets
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from aiosmtpd.controller import Controller

BASE_DIR = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
E2E_DATABASE = "finance_e2e"
STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailSink:
    """aiosmtpd handler: keeps every message it receives, parsed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.original_content))
        return "250 Message accepted for delivery"


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[tuple[int, list[Message]]]:
    sink = MailSink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port, sink.messages
    finally:
        controller.stop()


@contextmanager
def e2e_database(tmp_dir: Path, name: str = E2E_DATABASE) -> Iterator[str]:
    """A throwaway SQLite file, or a fresh database on the PostgreSQL server the
    environment points at (so the journey runs on what production runs)."""
    configured = os.environ.get("DATABASE_URL", "")
    if not configured.startswith("postgres"):
        yield f"sqlite:///{tmp_dir / f'{name}.sqlite3'}"
        return
    import psycopg

    parts = urlsplit(configured)
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    # Named after the configured database, so two checkouts on one server never collide.
    name = f"{parts.path.strip('/')}_{name}"

    def recreate(*, create: bool) -> None:
        with psycopg.connect(maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                admin.execute(f'CREATE DATABASE "{name}"')

    recreate(create=True)
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        recreate(create=False)


def _server_env(*, database_url: str, smtp_port: int, port: int) -> dict[str, str]:
    env = dict(os.environ)
    # No Redis: Celery runs tasks in-process and the channel layer is in memory.
    # An empty value is "unset" to the settings schema, and beats any `.env` line.
    env.pop("REDIS_URL", None)
    env["REDIS_URL"] = ""
    alphabet = string.ascii_letters + string.digits
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url,
        EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}",
        # Every journey signs in from 127.0.0.1 within the same minute or two: the
        # per-IP limit on sign-in (tested on its own) would refuse the later ones.
        API_AUTH_RATE="1000/min",
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(f"{url}/health/", timeout=2) as response:  # noqa: S310 - our own http URL
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    pytest.fail(
        f"/health/ did not answer 200 in {STARTUP_TIMEOUT}s:\n{log.read_text()}"
    )


def _migrate(env: dict[str, str]) -> None:
    """Migrate and seed the demo person and ledger, as `make run` does."""
    migrate = subprocess.run(
        [sys.executable, "manage.py", "prepare_demo"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if migrate.returncode != 0:
        pytest.fail(f"migrate failed:\n{migrate.stdout}\n{migrate.stderr}")


@pytest.fixture(scope="session")
def site_server(
    tmp_path_factory: pytest.TempPathFactory, smtp_sink: tuple[int, list[Message]]
) -> Iterator[str]:
    """The base URL of a migrated Daphne server, stopped at the end of the session."""
    tmp_dir = tmp_path_factory.mktemp("e2e")
    port = free_port()
    with e2e_database(tmp_dir) as database_url:
        env = _server_env(database_url=database_url, smtp_port=smtp_sink[0], port=port)
        _migrate(env)
        daphne = str(Path(sys.executable).parent / "daphne")
        command = [
            daphne,
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "config.asgi:application",
        ]
        log = tmp_dir / "server.log"
        with log.open("wb") as output:
            server = subprocess.Popen(
                command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
            )
        url = env["SITE_URL"]
        try:
            _wait_until_healthy(url, server, log)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"needs Chromium at {CHROMIUM}"
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but this test {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Any, site_server: str) -> Iterator[Any]:
    """A fresh browser profile per test, English first, on the live server; a test
    fails if the Content-Security-Policy blocked anything on any page it opened."""
    context = browser.new_context(base_url=site_server, locale="en-US")
    context.set_default_timeout(10_000)
    blocked: list[str] = []
    new_page = context.new_page()
    new_page.on(
        "console",
        lambda message: (
            blocked.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    try:
        yield new_page
    finally:
        context.close()
    assert not blocked, blocked
