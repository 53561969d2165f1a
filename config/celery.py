"""The Celery application; tasks carry the correlation id and tenant of their caller."""

from __future__ import annotations

import os
from typing import Any

import structlog
from celery import Celery
from celery.schedules import crontab
from celery.signals import before_task_publish, setup_logging, task_postrun, task_prerun

from modules.shared.infrastructure.tasks import CORRELATION_HEADER

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("finance")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks(
    [
        "modules.identity.infrastructure",
        "modules.notifications.infrastructure",
        "modules.transactions.infrastructure",
        "modules.recurring.infrastructure",
        "modules.shared.infrastructure",
        "modules.live.infrastructure",
        "modules.privacy.infrastructure",
    ]
)
app.conf.beat_schedule = {
    "check-ledger-daily": {
        "task": "transactions.check_ledger",
        "schedule": crontab(hour=3, minute=17),
    },
    "sweep-outbox": {
        "task": "live.sweep_outbox",
        "schedule": 5.0,  # seconds: the longest an event waits when its task is lost
    },
    "sweep-recurring": {
        "task": "recurring.sweep",
        "schedule": crontab(minute="*/15"),  # dates fall due at each person's midnight
    },
    # Every purge of the retention table, then the erasure of closed accounts.
    "enforce-retention-hourly": {
        "task": "privacy.enforce_retention",
        "schedule": crontab(minute=41),
    },
}


def _correlation_id_of(request: Any) -> str | None:
    """Workers expose custom headers as attributes; eager runs keep them in `headers`."""
    return getattr(request, CORRELATION_HEADER, None) or (request.headers or {}).get(
        CORRELATION_HEADER
    )


@setup_logging.connect
def _use_django_logging(**_: Any) -> None:
    """Keep Celery from replacing our structured handlers."""


@before_task_publish.connect
def _attach_correlation_id(headers: dict[str, Any] | None = None, **_: Any) -> None:
    correlation_id = structlog.contextvars.get_contextvars().get("correlation_id")
    if headers is not None and correlation_id:
        headers.setdefault(CORRELATION_HEADER, correlation_id)


@task_prerun.connect
def _bind_task_context(task_id: str, task: Any, **_: Any) -> None:
    if not task.request.is_eager:
        structlog.contextvars.clear_contextvars()
    correlation_id = _correlation_id_of(task.request)
    if correlation_id:
        structlog.contextvars.bind_contextvars(correlation_id=correlation_id)
    structlog.contextvars.bind_contextvars(task_id=task_id, task=task.name)


@task_postrun.connect
def _unbind_task_context(**_: Any) -> None:
    structlog.contextvars.unbind_contextvars("task_id", "task")
