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


# The names these tasks had before they moved to `live` (ADR 0008): still answered
# for one release, so messages queued by an older web process or beat are not lost.
@shared_task(name="shared.relay_outbox")
def relay_outbox_by_old_name(tenant_id: str) -> int:
    return relay.publish_pending([UUID(tenant_id)])


@shared_task(name="shared.sweep_outbox")
def sweep_outbox_by_old_name() -> int:
    return relay.publish_pending()
