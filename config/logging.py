"""Structured JSON logs: one line per event, correlation id bound, personal data scrubbed."""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from typing import Any

import structlog

SENSITIVE_KEYS = frozenset(
    {
        "email",
        "password",
        "password1",
        "password2",
        "new_password",
        "token",
        "access",
        "refresh",
        "authorization",
        "cookie",
        "secret",
        "otp",
        "amount",
        "balance",
        "name",
        "first_name",
        "last_name",
        "phone",
    }
)
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
REDACTED = "[redacted]"


def scrub_sensitive(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Last line of defence: drop sensitive keys and mask email-like text."""
    for key in list(event_dict):
        if key.lower() in SENSITIVE_KEYS:
            event_dict[key] = REDACTED
        elif isinstance(event_dict[key], str):
            event_dict[key] = EMAIL_PATTERN.sub(REDACTED, event_dict[key])
    return event_dict


SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
    structlog.processors.StackInfoRenderer(),
    structlog.processors.format_exc_info,
    scrub_sensitive,
]


def configure_structlog(level: str) -> None:
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    logging.captureWarnings(True)
    from logging.config import dictConfig

    dictConfig(build_logging_config(level))


def build_logging_config(level: str) -> dict[str, Any]:
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.JSONRenderer(),
                ],
                "foreign_pre_chain": SHARED_PROCESSORS,
            }
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "json",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "django.request": {"level": "ERROR"},
            # A body over the limit is the client's mistake, answered 413 and logged
            # by `request.finished`; not an ERROR with a traceback.
            "django.security.RequestDataTooBig": {"level": "CRITICAL"},
            # The request middleware's `request.finished` is the one access log line;
            # the development servers' own lines repeat it with the query string (a
            # password-reset token, say), so they are silenced. `daphne` itself writes
            # its access log outside logging: `make run` starts it with -v 0.
            "django.server": {"level": "CRITICAL"},
            "django.channels.server": {"level": "CRITICAL"},
            "daphne": {"level": "WARNING"},
            "celery": {"level": level},
        },
    }
