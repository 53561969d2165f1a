"""Enqueueing Celery work from a use case: after commit, carrying the correlation id."""

from __future__ import annotations

from typing import Any

from celery import Task, shared_task
from django.db import transaction
from django.utils import timezone

from modules.shared.application.correlation import current_correlation_id
from modules.shared.domain.retention import Kept, kept_for

# Not "correlation_id": Celery already uses that name for the task id.
CORRELATION_HEADER = "x_request_id"


def enqueue_on_commit(task: Task, *args: Any) -> None:
    """Queue `task` once the current transaction commits (nothing if it rolls back).

    The correlation id is read now, while the request that caused the work is still
    bound, and travels in the message headers to the worker's log lines.
    """
    headers = {CORRELATION_HEADER: current_correlation_id()}
    transaction.on_commit(
        lambda: task.apply_async(args=args, headers=headers), robust=True
    )


@shared_task(name="shared.purge_idempotency_records")
def purge_idempotency_records() -> int:
    """Keys are honoured for at least 24 hours; keep two days, then forget them.
    A maintenance path across tenants, by age only."""
    from modules.shared.infrastructure.models import IdempotencyRecord

    cutoff = timezone.now() - kept_for(Kept.IDEMPOTENCY_KEYS)
    deleted, _ = IdempotencyRecord.all_tenants.filter(created_at__lt=cutoff).delete()
    return deleted
