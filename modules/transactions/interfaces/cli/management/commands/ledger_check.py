"""`manage.py ledger_check [--tenant ID]`: recompute every ledger invariant."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import structlog
from django.core.management.base import BaseCommand, CommandError, CommandParser

from modules.transactions.infrastructure.checks import find_discrepancies

logger = structlog.get_logger("ledger.check")


class Command(BaseCommand):
    help = (
        "Check that every entry balances and every balance is the sum of its postings."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", type=UUID, help="Check one tenant only.")

    def handle(self, *args: Any, **options: Any) -> None:
        found = find_discrepancies(options.get("tenant"))
        for item in found:
            self.stdout.write(f"{item.tenant_id}  {item.rule}  {item.subject}")
        if found:
            raise CommandError(f"{len(found)} ledger discrepancies found")
        self.stdout.write(self.style.SUCCESS("Ledger OK: every invariant holds."))
