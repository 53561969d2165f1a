"""Tables of the shared kernel."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from modules.shared.infrastructure.tenancy import TenantOwnedModel


class IdempotencyRecord(TenantOwnedModel):
    """The first answer to a write sent with an `Idempotency-Key`, replayed to retries."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response_body = models.JSONField(encoder=DjangoJSONEncoder, null=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "key"), name="idempotency_tenant_key"
            )
        ]

    def __str__(self) -> str:
        return self.key
