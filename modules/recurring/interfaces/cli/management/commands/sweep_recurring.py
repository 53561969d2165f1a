"""`manage.py sweep_recurring`: record every recurring date due by now, once."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from modules.recurring.infrastructure.sweep import sweep_all


class Command(BaseCommand):
    help = "Record the due occurrences of every recurring rule (bills are expected)."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_all()
        self.stdout.write(
            f"Recorded {result.recorded}, expected {result.expected} bills, "
            f"{result.overdue} newly overdue, {result.by_others} by other modules."
        )
