"""One log line per request: ours, JSON, with the correlation id and the path but
never the query string (which may carry a secret), and never a mailed link's token
(ADR 0026: it travels in the fragment and a POST)."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from daphne.management.commands.runserver import Command as RunServer
from django.test import Client

from config.logging import build_logging_config
from modules.demo.interfaces.cli.management.commands.run_demo import (
    daphne_command,
    wait_until_answers,
)
from modules.identity.application.ports import AccountMail
from modules.identity.infrastructure.stores import SignedLinkTokens
from tests.factories import UserFactory

BASE_DIR = Path(__file__).resolve().parents[3]
TOKEN = "reset-token-that-must-never-be-logged"


@pytest.fixture
def json_logs() -> Iterator[Any]:
    """Every record the root logger lets through, rendered by the production formatter."""
    spec = dict(build_logging_config("INFO")["formatters"]["json"])
    formatter_class = spec.pop("()")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter_class(**spec))
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.mark.django_db
def test_a_request_is_one_line_without_its_query_string(
    client: Client, json_logs: Any
) -> None:
    client.get(
        f"/password-reset/confirm/?token={TOKEN}", HTTP_X_REQUEST_ID="trace-reset-7"
    )
    lines = json_logs()
    finished = [line for line in lines if line["event"] == "request.finished"]
    assert len(finished) == 1
    assert finished[0]["path"] == "/password-reset/confirm/"
    assert finished[0]["correlation_id"] == "trace-reset-7"
    assert TOKEN not in json.dumps(lines)


@pytest.mark.django_db
def test_the_token_of_a_mailed_link_is_logged_nowhere(
    client: Client, json_logs: Any
) -> None:
    """The link carries it in the fragment (never sent), the page POSTs it: neither
    the request log nor Django's warning about a refused link writes it."""
    user = UserFactory()
    token = SignedLinkTokens().make(AccountMail.RESET_PASSWORD, user.id)
    mismatch = {"token": token, "new_password": "x" * 12, "new_password_again": "y"}
    assert client.post("/password-reset/confirm/", mismatch).status_code == 200
    assert client.post("/verify-email/", {"token": token}).status_code == 400
    assert client.post("/account/reopen/", mismatch).status_code == 400
    lines = json_logs()
    assert len([line for line in lines if line["event"] == "request.finished"]) == 3
    assert token not in json.dumps(lines)


def test_the_development_server_adds_no_line_of_its_own(json_logs: Any) -> None:
    """`manage.py runserver` (Daphne's) would repeat each request, query included."""
    details = {
        "method": "GET",
        "path": f"/password-reset/confirm/?token={TOKEN}",
        "status": 500,
        "time_taken": 0.01,
        "client": "127.0.0.1:5000",
    }
    RunServer().log_action("http", "complete", details)
    assert json_logs() == []


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_make_run_server_logs_each_request_once(tmp_path: Path) -> None:
    """Daphne, started as `make run` starts it, keeps its own access log to itself."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "REDIS_URL": "",
        "EMAIL_URL": "locmem:",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "server.log"
    with log.open("wb") as output:
        server = subprocess.Popen(
            daphne_command("127.0.0.1", port),
            cwd=BASE_DIR,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        assert wait_until_answers(f"{base}/health/", server, 60), log.read_text()
        with pytest.raises(urllib.error.HTTPError):  # 401: no credentials
            urllib.request.urlopen(f"{base}/api/v1/me?token={TOKEN}", timeout=5)  # noqa: S310
        deadline = time.monotonic() + 5
        while "/api/v1/me" not in log.read_text() and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    mentions = [line for line in text.splitlines() if "/api/v1/me" in line]
    assert len(mentions) == 1, text
    line = json.loads(mentions[0])
    assert line["event"] == "request.finished"
    assert line["path"] == "/api/v1/me"
    assert line["status"] == 401
    assert "correlation_id" in line
    assert TOKEN not in text
