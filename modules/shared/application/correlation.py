"""The correlation id of the current request, socket or task."""

from __future__ import annotations

import re
import uuid

import structlog

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,128}$")


def accept_or_generate(candidate: str | None) -> str:
    """Keep a well-formed incoming id so traces join up; otherwise make a new one."""
    if candidate and _VALID_REQUEST_ID.match(candidate):
        return candidate
    return str(uuid.uuid4())


def current_correlation_id() -> str | None:
    value = structlog.contextvars.get_contextvars().get("correlation_id")
    return str(value) if value else None
