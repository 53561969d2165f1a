"""A password-reset request is answered at once; its work (the look-up, the audit,
the mail) is a task, so a known address costs the request no more time than an
unknown one (issue 14)."""

from __future__ import annotations

from celery import shared_task

from modules.identity.application.use_cases import request_password_reset
from modules.identity.infrastructure.uow import unit_of_work
from modules.shared.infrastructure.tasks import enqueue_on_commit


@shared_task(name="identity.request_password_reset")
def handle_password_reset_request(email: str) -> None:
    request_password_reset(uow=unit_of_work(), email=email)


def queue_password_reset(email: str) -> None:
    """What the doors call: the same, immediate answer for every address."""
    enqueue_on_commit(handle_password_reset_request, email)
