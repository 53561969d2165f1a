"""The outbox's one writer: events go in with the change they report, in one
transaction, numbered in each tenant's commit order."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from uuid import UUID

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from contracts.events.models import EVENT_TYPES, EventData, UnknownEventType
from modules.live.infrastructure.models import EventStream, OutboxEvent, OutboxStatus
from modules.live.infrastructure.tasks import relay_outbox
from modules.shared.application.clock import Clock
from modules.shared.application.correlation import current_correlation_id
from modules.shared.application.tenancy import current_tenant_id


class OutboxWriter:
    """`EventOutbox` over the outbox table; one per unit of work, stamping events
    with its clock."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._scheduled: set[UUID] = set()

    def append(self, event: EventData) -> UUID:
        return self.append_all([event])[0]

    def append_all(self, events: Sequence[EventData]) -> list[UUID]:
        """Write these events in order, numbered after the tenant's last one.

        The models were validated when they were built; only their type is checked.
        """
        if not events:
            return []
        tenant_id = current_tenant_id()
        for event in events:
            if EVENT_TYPES.get(event.event_type) is not type(event):
                raise UnknownEventType(event.event_type)
        rows = [
            OutboxEvent(
                id=uuid.uuid4(),
                tenant_id=tenant_id,
                type=event.event_type,
                occurred_at=self._clock.now(),
                correlation_id=current_correlation_id() or "",
                data=event.model_dump(mode="json"),
            )
            for event in events
        ]
        if connection.vendor == "postgresql":
            _insert_numbered(tenant_id, rows)
        else:
            first = reserve_sequences(tenant_id, len(rows)) - len(rows) + 1
            for number, row in enumerate(rows, start=first):
                row.sequence = number
            OutboxEvent.objects.bulk_create(rows)
        self._schedule_relay(tenant_id)
        return [row.id for row in rows]

    def _schedule_relay(self, tenant_id: UUID) -> None:
        if tenant_id in self._scheduled:
            return
        self._scheduled.add(tenant_id)

        def after_commit() -> None:
            self._scheduled.discard(tenant_id)
            relay_outbox.apply_async(args=[str(tenant_id)])

        transaction.on_commit(after_commit, robust=True)


def reserve_sequences(tenant_id: UUID, count: int) -> int:
    """Bump the tenant's counter by `count` in one statement; returns the last number.

    The counter row stays locked until commit, so numbers follow commit order.
    """
    table = EventStream._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (tenant_id, last_sequence) VALUES (%s, %s) "  # noqa: S608
            f"ON CONFLICT (tenant_id) DO UPDATE "
            f"SET last_sequence = {table}.last_sequence + excluded.last_sequence "
            f"RETURNING last_sequence",
            [tenant_id.hex if connection.vendor == "sqlite" else tenant_id, count],
        )
        return int(cursor.fetchone()[0])


def _insert_numbered(tenant_id: UUID, rows: list[OutboxEvent]) -> None:
    """PostgreSQL: reserve the numbers and insert the rows in one statement."""
    stream, outbox = EventStream._meta.db_table, OutboxEvent._meta.db_table
    values = ", ".join(
        ["(%s, %s::uuid, %s, %s::timestamptz, %s, %s::jsonb)"] * len(rows)
    )
    params: list[object] = [tenant_id, len(rows)]
    for position, row in enumerate(rows, start=1):
        data = json.dumps(row.data, cls=DjangoJSONEncoder)
        params += [
            position,
            row.id,
            row.type,
            row.occurred_at,
            row.correlation_id,
            data,
        ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH stream AS ("  # noqa: S608 - table names are ours, values are parameters
            f" INSERT INTO {stream} (tenant_id, last_sequence) VALUES (%s, %s)"
            f" ON CONFLICT (tenant_id) DO UPDATE"
            f" SET last_sequence = {stream}.last_sequence + excluded.last_sequence"
            f" RETURNING tenant_id, last_sequence)"
            f" INSERT INTO {outbox} (tenant_id, id, sequence, type, occurred_at,"
            f" correlation_id, data, status, attempts, last_error, next_attempt_at)"
            f" SELECT stream.tenant_id, v.id, stream.last_sequence - %s + v.position,"
            f" v.type, v.occurred_at, v.correlation_id, v.data, %s, 0, '', v.occurred_at"
            f" FROM stream, (VALUES {values})"
            f" AS v(position, id, type, occurred_at, correlation_id, data)"
            f" RETURNING sequence",
            [*params[:2], len(rows), OutboxStatus.PENDING, *params[2:]],
        )
        numbers = sorted(int(r[0]) for r in cursor.fetchall())
    for row, number in zip(rows, numbers, strict=True):
        row.sequence = number
