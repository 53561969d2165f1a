"""The sweep over every tenant: who has a date due, then each tenant on its own."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import structlog
from django.utils import timezone

from modules.recurring.application.use_cases import SweepResult, sweep_tenant
from modules.recurring.domain.bills import OccurrenceStatus
from modules.recurring.infrastructure.models import Occurrence, RecurringRule
from modules.recurring.infrastructure.uow import unit_of_work
from modules.shared.application.tenancy import tenant_scope

logger = structlog.get_logger("recurring")

# The furthest any time zone is ahead of UTC is 14 hours: a date due "today" somewhere
# is at most tomorrow in UTC. Each tenant then uses its owner's own today.
AHEAD = timedelta(days=1)


def due_tenants() -> list[UUID]:
    """Tenants with a rule to handle or a bill to announce (the explicit
    cross-tenant path of the sweep; each is then handled in its own scope)."""
    horizon = timezone.now().date() + AHEAD
    rules = RecurringRule.all_tenants.filter(
        paused=False, next_due_on__isnull=False, next_due_on__lte=horizon
    ).values_list("tenant_id", flat=True)
    bills = Occurrence.all_tenants.filter(
        status=OccurrenceStatus.EXPECTED,
        overdue_notified_at__isnull=True,
        on__lt=horizon,
    ).values_list("tenant_id", flat=True)
    return sorted(set(rules.order_by().distinct()) | set(bills.order_by().distinct()))


def sweep_all() -> SweepResult:
    recorded = expected = overdue = 0
    for tenant_id in due_tenants():
        with tenant_scope(tenant_id):
            result = sweep_tenant(uow=unit_of_work())
        recorded += result.recorded
        expected += result.expected
        overdue += result.overdue
    logger.info(
        "recurring.swept", recorded=recorded, expected=expected, overdue=overdue
    )
    return SweepResult(recorded=recorded, expected=expected, overdue=overdue)
