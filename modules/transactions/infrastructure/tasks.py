"""The ledger's scheduled work."""

from __future__ import annotations

import structlog
from celery import shared_task

from modules.transactions.infrastructure.checks import find_discrepancies

logger = structlog.get_logger("ledger.check")


@shared_task(name="transactions.check_ledger", acks_late=True)
def check_ledger() -> int:
    """Daily: recompute the invariants; a discrepancy is a structured error for alerts."""
    found = find_discrepancies()
    for item in found:
        logger.error(
            "ledger.discrepancy",
            tenant_id=str(item.tenant_id),
            rule=item.rule,
            subject=item.subject,
        )
    logger.info("ledger.checked", discrepancies=len(found))
    return len(found)
