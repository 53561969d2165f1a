"""The outbox's one writer: events go in with the change they report, in one
transaction, numbered in each tenant's commit order."""

from __future__ import annotations

from uuid import UUID

from django.db import connection, transaction

from contracts.events.models import EventData, validate_event
from modules.live.infrastructure.models import EventStream, OutboxEvent
from modules.live.infrastructure.tasks import relay_outbox
from modules.shared.application.correlation import current_correlation_id
from modules.shared.application.tenancy import current_tenant_id


class OutboxWriter:
    """`EventOutbox` over the outbox table; one per unit of work."""

    def __init__(self) -> None:
        self._scheduled: set[UUID] = set()

    def append(self, event: EventData) -> UUID:
        tenant_id = current_tenant_id()
        validate_event(event.event_type, event.model_dump(mode="json"))
        row = OutboxEvent.objects.create(
            tenant_id=tenant_id,
            sequence=next_sequence(tenant_id),
            type=event.event_type,
            correlation_id=current_correlation_id() or "",
            data=event.model_dump(mode="json"),
        )
        self._schedule_relay(tenant_id)
        return row.id

    def _schedule_relay(self, tenant_id: UUID) -> None:
        if tenant_id in self._scheduled:
            return
        self._scheduled.add(tenant_id)

        def after_commit() -> None:
            self._scheduled.discard(tenant_id)
            relay_outbox.apply_async(args=[str(tenant_id)])

        transaction.on_commit(after_commit, robust=True)


def next_sequence(tenant_id: UUID) -> int:
    """Bump the tenant's counter in one statement (PostgreSQL and SQLite alike)."""
    table = EventStream._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (tenant_id, last_sequence) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT (tenant_id) DO UPDATE "
            f"SET last_sequence = {table}.last_sequence + 1 RETURNING last_sequence",
            [tenant_id.hex if connection.vendor == "sqlite" else tenant_id],
        )
        return int(cursor.fetchone()[0])
