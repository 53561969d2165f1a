"""`manage.py prepare_demo`: migrate and seed in one process, so `make run` boots
Django once before the server instead of three times."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Apply migrations, then create the demo person and their demo ledger."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", stdout=self.stdout)
        call_command("seed_demo_ledger", stdout=self.stdout)
