"""`manage.py enforce_retention`: delete what is past its retention period and
erase closed accounts past their grace, once (beat runs it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from modules.privacy.infrastructure.tasks import enforce_retention


class Command(BaseCommand):
    help = "Delete data past its retention period and erase closed accounts now."

    def handle(self, *args: Any, **options: Any) -> None:
        for kind, count in enforce_retention().items():
            self.stdout.write(f"{kind}: {count}")
