"""`Idempotency-Key` on API writes: the same key and body replay the first answer, the
same key with another body is refused, and concurrent duplicates have one effect.

The claim on the key and the write it guards commit in one transaction, so a duplicate
that arrives mid-flight waits on the key's unique index and then replays the answer.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from rest_framework.request import Request
from rest_framework.response import Response

from modules.shared.application.tenancy import current_tenant_id
from modules.shared.domain.errors import DomainError, ValidationError
from modules.shared.domain.text import gettext_noop
from modules.shared.infrastructure.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255

Handler = Callable[..., Response]


class IdempotencyKeyReused(DomainError):
    code = "IDEMPOTENCY_KEY_REUSED"


def fingerprint(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, separators=(",", ":"), default=str)
    raw = f"{request.method}\n{request.path}\n{body}"
    return hashlib.sha256(raw.encode()).hexdigest()


def idempotent(handler: Handler) -> Handler:
    """Decorate an APIView's `post`.

    A key already used replays its stored answer (or refuses another body). A new
    key runs the write, and the record of its answer commits with it: a concurrent
    duplicate that missed the first lookup fails that INSERT on the unique key,
    waits for the first to commit, rolls its own write back and replays.
    """

    @wraps(handler)
    def wrapped(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        _check_key(key)
        digest = fingerprint(request)
        if (first := IdempotencyRecord.objects.filter(key=key).first()) is not None:
            return _replay(first, digest)
        try:
            with transaction.atomic():
                response = handler(view, request, *args, **kwargs)
                IdempotencyRecord.objects.create(
                    tenant_id=current_tenant_id(),
                    key=key,
                    fingerprint=digest,
                    status_code=response.status_code,
                    response_body=response.data,
                )
        except IntegrityError:
            first = IdempotencyRecord.objects.filter(key=key).first()
            if first is None:
                raise
            return _replay(first, digest)
        return response

    return wrapped


def _check_key(key: str) -> None:
    if not 1 <= len(key) <= MAX_KEY_LENGTH or not key.isprintable():
        message = gettext_noop("Idempotency-Key must be 1 to 255 printable characters.")
        raise ValidationError.for_field(HEADER, message)


def _replay(record: IdempotencyRecord, digest: str) -> Response:
    if record.fingerprint != digest:
        raise IdempotencyKeyReused(
            gettext_noop(
                "This Idempotency-Key was already used with a different request."
            )
        )
    response = Response(record.response_body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response
