"""Logs are JSON lines with a correlation id and never carry personal data or secrets."""

from __future__ import annotations

import io
import json
import logging
from typing import Any

import pytest
import structlog
from rest_framework.test import APIClient

from config.logging import build_logging_config
from tests.integration.conftest import token_from_last_mail

pytestmark = pytest.mark.django_db

EMAIL = "private.person@example.com"
PASSWORD = "my secret passphrase 123"


@pytest.fixture
def json_logs() -> Any:
    """Every log record, rendered by the production JSON formatter, as parsed lines."""
    spec = dict(build_logging_config("DEBUG")["formatters"]["json"])
    formatter_class = spec.pop("()")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter_class(**spec))
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(previous_level)


def test_registration_and_login_log_no_personal_data(
    api: APIClient, json_logs: Any
) -> None:
    api.post(
        "/api/v1/users",
        {"email": EMAIL, "password": PASSWORD, "accepted_terms": True},
        format="json",
        HTTP_X_REQUEST_ID="trace-registration-1",
    )
    api.post(
        "/api/v1/email-verifications", {"token": token_from_last_mail()}, format="json"
    )
    session = api.post(
        "/api/v1/sessions", {"email": EMAIL, "password": PASSWORD}, format="json"
    )
    api.post(
        "/api/v1/sessions",
        {"email": EMAIL, "password": "wrong guess here"},
        format="json",
    )
    tokens = session.json()

    lines = json_logs()
    assert lines, "expected structured log lines"
    text = json.dumps(lines)
    for secret in (
        EMAIL,
        PASSWORD,
        "private.person",
        tokens["access"],
        tokens["refresh"],
    ):
        assert secret not in text
    finished = [line for line in lines if line["event"] == "request.finished"]
    assert finished and all(
        "correlation_id" in line and "timestamp" in line for line in finished
    )
    assert any(line["correlation_id"] == "trace-registration-1" for line in finished)


def test_sensitive_keys_and_email_text_are_scrubbed(json_logs: Any) -> None:
    structlog.get_logger("test").info(
        "something happened for ana@example.com",
        email="ana@example.com",
        amount="12.50",
        password="x",
    )
    line = json_logs()[-1]
    assert line["email"] == line["amount"] == line["password"] == "[redacted]"
    assert "ana@example.com" not in line["event"]


def test_correlation_id_reaches_celery_tasks(api: APIClient, json_logs: Any) -> None:
    api.post(
        "/api/v1/users",
        {"email": EMAIL, "password": PASSWORD, "accepted_terms": True},
        format="json",
        HTTP_X_REQUEST_ID="trace-into-task-42",
    )
    sent = [line for line in json_logs() if line["event"] == "mail.sent"]
    assert sent and sent[0]["correlation_id"] == "trace-into-task-42"
    assert sent[0]["task"] == "identity.send_account_email"
