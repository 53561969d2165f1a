"""Recurring loan payments: the job the recurring sweep runs for loans (ADR 0025)."""

from __future__ import annotations

from datetime import timedelta

import structlog
from django.utils import timezone

from modules.loans.application.use_cases import record_due_payments
from modules.loans.infrastructure.models import Loan
from modules.loans.infrastructure.uow import unit_of_work
from modules.shared.application.tenancy import tenant_scope
from modules.shared.domain.errors import DomainError

logger = structlog.get_logger("loans")

# As in the recurring sweep: a date due "today" anywhere is at most tomorrow in UTC.
AHEAD = timedelta(days=1)


def sweep_payments() -> int:
    """Record every payment due by today (the owner's) on every loan with recurring
    payments, each once; a loan the ledger refuses (its paying account archived,
    say) is logged and retried at the next sweep, the others go on."""
    horizon = timezone.now().date() + AHEAD
    candidates = (
        Loan.all_tenants.filter(
            recurring_payments=True,
            archived_at__isnull=True,
            first_payment_on__lte=horizon,
        )
        .order_by("tenant_id", "id")
        .values_list("tenant_id", "id")
    )
    recorded = 0
    for tenant_id, loan_id in candidates:
        with tenant_scope(tenant_id):
            try:
                recorded += record_due_payments(uow=unit_of_work(), loan_id=loan_id)
            except DomainError as error:
                logger.warning(
                    "loans.recurring_payment_refused",
                    loan_id=str(loan_id),
                    code=error.code,
                )
    return recorded
