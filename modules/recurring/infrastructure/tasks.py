"""The recurring module's scheduled work."""

from __future__ import annotations

from celery import shared_task

from modules.recurring.infrastructure.sweep import sweep_all


@shared_task(name="recurring.sweep", acks_late=True)
def sweep_recurring() -> int:
    """Record (or expect) every date due by now; safe to run twice or at once."""
    result = sweep_all()
    return result.recorded + result.expected + result.by_others
