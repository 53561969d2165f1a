"""Django's `flush`, run as the database owner, not the app's role (ADR 0022)."""

from typing import Any

from django.core.management.commands import flush

from modules.shared.infrastructure.database import as_owner


class Command(flush.Command):
    def execute(self, *args: Any, **options: Any) -> Any:
        with as_owner():
            return super().execute(*args, **options)
