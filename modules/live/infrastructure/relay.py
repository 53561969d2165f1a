"""The outbox relay.

Use cases append events through `OutboxWriter` inside their own transaction. After
commit a Celery task (fast path) and a periodic sweep (guarantee) hand every pending
event, in each tenant's order, to the registered consumers and then to the tenant's
websockets. Delivery is at least once; every consumer is idempotent by event id, and
clients drop an id they have already seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta
from uuid import UUID

import structlog
from django.db import transaction
from django.utils import timezone

from contracts.events.models import validate_event
from modules.live.application.events import DeliveredEvent
from modules.live.infrastructure import push
from modules.live.infrastructure.models import OutboxEvent, OutboxStatus
from modules.shared.application.tenancy import tenant_scope

logger = structlog.get_logger("outbox")

BATCH_SIZE = 100
MAX_ATTEMPTS = 10
BACKOFF_BASE_SECONDS = 1
BACKOFF_CAP_SECONDS = 60
UNREACHABLE_RETRY_SECONDS = 1

Consumer = Callable[[DeliveredEvent], None]
_consumers: dict[str, Consumer] = {}


def register_consumer(name: str, consumer: Consumer) -> None:
    """Run `consumer` for every event, inside the relay's transaction (a savepoint).

    It runs with the event's tenant active and must be idempotent by `event.id`:
    an event can be handed over more than once.
    """
    _consumers[name] = consumer


def publish_pending(tenant_ids: Iterable[UUID] | None = None) -> int:
    """Publish what is due, tenant by tenant; returns how many events went out."""
    tenants = list(tenant_ids) if tenant_ids is not None else due_tenants()
    return sum(publish_tenant(tenant_id) for tenant_id in tenants)


def due_tenants(limit: int = 500) -> list[UUID]:
    return list(
        OutboxEvent.all_tenants.filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by()
        .values_list("tenant_id", flat=True)
        .distinct()[:limit]
    )


def publish_tenant(tenant_id: UUID) -> int:
    published = 0
    with tenant_scope(tenant_id):
        while (sent := _publish_batch(tenant_id)) > 0:
            published += sent
    return published


def _publish_batch(tenant_id: UUID) -> int:
    """Lock the tenant's oldest pending events and hand them over in order.

    `SKIP LOCKED` keeps two workers off the same rows; what a worker may publish is
    only the run of its rows with no pending event of another worker before or
    between them (concurrent scans can lock interleaved rows). A worker that finds
    the head of the stream taken leaves the tenant to that worker, which loops until
    the stream is empty: a tenant's events are never published out of order.
    """
    with transaction.atomic():
        rows = list(
            OutboxEvent.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING)
            .order_by("sequence")[:BATCH_SIZE]
        )
        due = _due_prefix(_unbroken_prefix(rows))
        delivered = _deliver(due)
        _mark_published(delivered)
        return len(delivered)


def _unbroken_prefix(rows: list[OutboxEvent]) -> list[OutboxEvent]:
    """The leading rows that are exactly the tenant's first pending events (rows
    locked by another worker are still pending, so they break the run)."""
    if not rows:
        return []
    pending = (
        OutboxEvent.objects.filter(
            status=OutboxStatus.PENDING, sequence__lte=rows[-1].sequence
        )
        .order_by("sequence")
        .values_list("sequence", flat=True)
    )
    prefix = []
    for row, expected in zip(rows, pending, strict=False):
        if row.sequence != expected:
            break
        prefix.append(row)
    return prefix


def _due_prefix(rows: list[OutboxEvent]) -> list[OutboxEvent]:
    now = timezone.now()
    for index, row in enumerate(rows):
        if row.next_attempt_at > now:
            return rows[:index]
    return rows


def _deliver(rows: list[OutboxEvent]) -> list[OutboxEvent]:
    """Run the consumers, then push to sockets; stop at the first failure (order)."""
    handled: list[OutboxEvent] = []
    for row in rows:
        try:
            with transaction.atomic():
                event = delivered(row)
                for consumer in _consumers.values():
                    consumer(event)
        except Exception as error:
            _record_failure(row, error)
            break
        handled.append(row)
    if not handled:
        return []
    pushed = push.push_events(handled[0].tenant_id, [r.envelope() for r in handled])
    if pushed.error is not None:
        _record_unreachable(handled[pushed.sent], pushed.error)
    return handled[: pushed.sent]


def delivered(row: OutboxEvent) -> DeliveredEvent:
    return DeliveredEvent(
        id=row.id, tenant_id=row.tenant_id, data=validate_event(row.type, row.data)
    )


def _record_unreachable(row: OutboxEvent, error: BaseException) -> None:
    """The channel layer (Redis) is away: nothing is wrong with the event, so no
    attempt is spent and no backoff builds up; it goes out at the first sweep after
    Redis is back, and the events behind it right after."""
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.next_attempt_at = timezone.now() + timedelta(seconds=UNREACHABLE_RETRY_SECONDS)
    row.save(update_fields=["last_error", "next_attempt_at"])
    logger.warning("outbox.channel_layer_unreachable", error=type(error).__name__)


def _record_failure(row: OutboxEvent, error: BaseException) -> None:
    """A consumer failed on this event: back off, and dead-letter it in the end."""
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = OutboxStatus.DEAD
    row.next_attempt_at = timezone.now() + backoff(row.attempts)
    row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
    logger.warning(
        "outbox.delivery_failed",
        event_id=str(row.id),
        event_type=row.type,
        attempts=row.attempts,
        dead=row.status == OutboxStatus.DEAD,
        error=type(error).__name__,
    )


def backoff(attempts: int) -> timedelta:
    seconds = min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)
    return timedelta(seconds=seconds)


def _mark_published(rows: list[OutboxEvent]) -> None:
    if rows:
        OutboxEvent.objects.filter(id__in=[row.id for row in rows]).update(
            status=OutboxStatus.PUBLISHED, published_at=timezone.now()
        )


def resend(event_ids: Iterable[UUID]) -> int:
    """Put dead (or published) events back in line; the admin's re-send action."""
    return OutboxEvent.all_tenants.filter(id__in=list(event_ids)).update(
        status=OutboxStatus.PENDING,
        attempts=0,
        last_error="",
        next_attempt_at=timezone.now(),
        published_at=None,
    )
