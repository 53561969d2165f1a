"""`manage.py rebuild_rollups [--tenant ID]`: redo the monthly totals from the postings."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandParser

from modules.transactions.infrastructure import rollups


class Command(BaseCommand):
    help = "Recompute the ledger's monthly totals (the read model) from the postings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tenant", type=UUID, help="Rebuild one tenant only.")

    def handle(self, *args: Any, **options: Any) -> None:
        written = rollups.rebuild(options.get("tenant"))
        self.stdout.write(
            self.style.SUCCESS(f"Monthly totals rebuilt: {written} rows.")
        )
