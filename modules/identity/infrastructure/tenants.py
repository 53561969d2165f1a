"""A tenant's first moment: other modules learn of it through the outbox."""

from __future__ import annotations

from uuid import UUID

from contracts.events.models import TenantCreated
from modules.live.api import OutboxWriter
from modules.shared.application.tenancy import tenant_scope
from modules.shared.infrastructure.clock import SystemClock


def announce_new_tenant(tenant_id: UUID, *, locale: str) -> None:
    """In the transaction that created the tenant: `tenant.created` for its stream."""
    with tenant_scope(tenant_id):
        OutboxWriter(SystemClock()).append(TenantCreated(locale=locale))
