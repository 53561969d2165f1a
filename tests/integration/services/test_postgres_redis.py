"""What only the real servers can prove: PostgreSQL triggers, Redis-shared limits,
the Redis channel layer, and a real Celery worker process carrying the correlation id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.db import DatabaseError, connection, transaction
from rest_framework.test import APIClient

from modules.identity.infrastructure.models import AuditEvent
from modules.shared.infrastructure.database import as_owner

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_refuses_to_change_or_delete_audit_events() -> None:
    """The app's role may not update one; the trigger refuses the owner too, and
    refuses a young event's deletion to anyone."""
    event = AuditEvent.all_tenants.create(action="user.registered")
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        AuditEvent.all_tenants.filter(id=event.id).update(action="user.logged_out")
    with (
        as_owner(),
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
    ):
        AuditEvent.all_tenants.filter(id=event.id).update(action="user.logged_out")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.all_tenants.filter(id=event.id).delete()
    assert AuditEvent.all_tenants.get(id=event.id).action == "user.registered"


@pytest.mark.postgres
@pytest.mark.django_db
def test_running_on_postgres() -> None:
    assert connection.vendor == "postgresql"


@pytest.mark.redis
@pytest.mark.django_db
def test_rate_limit_is_shared_between_processes_through_redis(api: APIClient) -> None:
    """A second cache client (another process's view) sees the same counters."""
    for n in range(5):
        api.post(
            "/api/v1/password-resets", {"email": f"a{n}@example.com"}, format="json"
        )
    other_process = RedisCache(settings.REDIS_URL, {"KEY_PREFIX": "finance"})
    keys = list(other_process._cache.get_client().keys("*throttle_auth*"))
    assert keys, "throttle counters should live in Redis"
    history = other_process.get(keys[0].decode().split(":", 2)[-1])
    assert len(history) == 5
    assert isinstance(caches["default"], RedisCache)


@pytest.mark.redis
@pytest.mark.asyncio
async def test_redis_channel_layer_delivers_group_messages() -> None:
    layer = get_channel_layer()
    assert type(layer).__name__ == "RedisChannelLayer"
    channel = await layer.new_channel()
    await layer.group_add("user.test", channel)
    await layer.group_send("user.test", {"type": "stream.event", "event": {"id": "1"}})
    assert (await layer.receive(channel))["event"] == {"id": "1"}
    await layer.group_discard("user.test", channel)


@pytest.fixture
def celery_worker(tmp_path: Path) -> Any:
    """A real worker process on the real broker, using the test database."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "EMAIL_URL": f"file://{tmp_path / 'mail'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SECRET_KEY": settings.SECRET_KEY,
        "LOG_LEVEL": "INFO",
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "-Q",
            "celery",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    yield tmp_path
    process.terminate()
    process.wait(timeout=20)
    log.close()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_mail_with_the_requests_correlation_id(
    api: APIClient, celery_worker: Path, settings: Any
) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.celery import app

    app.conf.task_always_eager = False
    try:
        response = api.post(
            "/api/v1/users",
            {
                "email": "worker.test@example.com",
                "password": "a-long-enough-passphrase-42",
                "accepted_terms": True,
            },
            format="json",
            HTTP_X_REQUEST_ID="trace-through-the-broker",
        )
        assert response.status_code == 201
        deadline = time.monotonic() + 30
        mails: list[Path] = []
        while time.monotonic() < deadline and not mails:
            mails = list((celery_worker / "mail").glob("*.eml"))
            time.sleep(0.2)
    finally:
        app.conf.task_always_eager = True
    assert mails, (celery_worker / "worker.log").read_text()[-3000:]
    assert "verify-email/#token=" in mails[0].read_text()
    lines = [
        json.loads(line)
        for line in (celery_worker / "worker.log").read_text().splitlines()
        if line.startswith("{")
    ]
    sent = [line for line in lines if line.get("event") == "mail.sent"]
    assert sent and sent[0]["correlation_id"] == "trace-through-the-broker"
    assert "worker.test@example.com" not in json.dumps(lines)
