"""The relay's two paths: right after a commit, and a sweep for what was left behind."""

from __future__ import annotations

from uuid import UUID

from celery import shared_task

from modules.live.infrastructure import relay


@shared_task(name="live.relay_outbox")
def relay_outbox(tenant_id: str) -> int:
    """Fast path: publish one tenant's new events right after the commit."""
    return relay.publish_pending([UUID(tenant_id)])


@shared_task(name="live.sweep_outbox")
def sweep_outbox() -> int:
    """Guarantee: publish whatever the fast path left behind (lost task, Redis down,
    a consumer that failed and is due again)."""
    return relay.publish_pending()
