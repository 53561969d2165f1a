"""The one builder of a templated mail, and the embedded default mail backend:
every message to its own file and to the console."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage, EmailMultiAlternatives
from django.template.loader import render_to_string


def templated_message(
    *, template: str, context: dict[str, object], to: str, subject: str | None = None
) -> EmailMultiAlternatives:
    """`<template>.txt` as the body and `<template>.html` as its alternative; the
    subject, unless given, from `<template>_subject.txt` on one line."""
    if subject is None:
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[to]
    )
    message.attach_alternative(
        render_to_string(f"{template}.html", context), "text/html"
    )
    return message


class FileAndConsoleEmailBackend(BaseEmailBackend):
    """Writes `<timestamp>-<id>.eml` under `EMAIL_FILE_PATH` and prints it to the console."""

    def __init__(self, *, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)
        self.directory.mkdir(parents=True, exist_ok=True)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
            path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            raw = message.message().as_bytes()
            path.write_bytes(raw)
            sys.stdout.write(
                f"--- mail saved to {path}\n{raw.decode(errors='replace')}\n"
            )
            sys.stdout.flush()
        return len(email_messages)
