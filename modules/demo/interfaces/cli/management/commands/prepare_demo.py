"""`manage.py prepare_demo`: check the services, migrate and seed in one process, so
`make run` boots Django once before the server instead of three times."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import BaseCommand, SystemCheckError

# In-process tasks log a line each ("Task live.relay_outbox[...] succeeded"): dozens
# while the demo ledger is written, which would bury what the seed prints.
TASK_LOGGER = "celery.app.trace"


@contextmanager
def quiet(logger_name: str) -> Iterator[None]:
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def require_services() -> None:
    """The database, Redis and broker answer, or one `error:` line for each that does
    not (the checks tagged "services" name the variable and what to do)."""
    errors = [
        message
        for message in run_checks(
            tags=["services"], include_deployment_checks=True, databases=["default"]
        )
        if message.is_serious()
    ]
    if errors:
        # Django prints a SystemCheckError as it is, without a traceback.
        raise SystemCheckError("\n".join(f"error: {error.msg}" for error in errors))


class Command(BaseCommand):
    help = "Check the services, migrate, then create the demo person and their ledger."

    def handle(self, *args: Any, **options: Any) -> None:
        require_services()
        with quiet(TASK_LOGGER):
            call_command("migrate", interactive=False, verbosity=0)
            call_command("seed_demo", stdout=self.stdout)
            call_command("seed_demo_ledger", stdout=self.stdout)
