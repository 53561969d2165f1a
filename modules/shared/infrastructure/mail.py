"""The embedded default mail backend: every message to its own file and to the console."""

from __future__ import annotations

import sys
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


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
