"""The outbox: events written with the change they report, and each tenant's stream."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.shared.infrastructure.tenancy import TenantOwnedModel


class EventStream(models.Model):
    """The last sequence number given to one tenant's events.

    Bumping it locks the row until commit, so a tenant's events are numbered in the
    order their transactions commit: a client that resumes after number n misses none.
    """

    tenant = models.OneToOneField(
        "identity.Tenant", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    last_sequence = models.BigIntegerField(default=0)

    class Meta:
        db_table = "shared_eventstream"

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.last_sequence}"


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    PUBLISHED = "published", _("published")
    DEAD = "dead", _("dead letter")


class OutboxEvent(TenantOwnedModel):
    """An event written in the same transaction as the change it reports."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sequence = models.BigIntegerField(_("sequence"))
    type = models.CharField(_("type"), max_length=64)
    occurred_at = models.DateTimeField(_("occurred at"), default=timezone.now)
    correlation_id = models.CharField(_("correlation id"), max_length=128, blank=True)
    data = models.JSONField(_("data"), encoder=DjangoJSONEncoder)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=OutboxStatus.choices,
        default=OutboxStatus.PENDING,
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        db_table = "shared_outboxevent"
        verbose_name = _("outbox event")
        verbose_name_plural = _("outbox events")
        ordering = ("tenant", "sequence")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "sequence"), name="outbox_tenant_sequence"
            )
        ]
        indexes = [
            models.Index(
                fields=("status", "next_attempt_at"),
                name="outbox_due",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.type} #{self.sequence}"

    def envelope(self) -> dict[str, object]:
        """What a client receives: the same on the websocket and in the feed.
        `sequence` counts the tenant's events 1, 2, 3…: a jump means a missed event."""
        return {
            "id": str(self.id),
            "sequence": self.sequence,
            "type": self.type,
            "occurred_at": self.occurred_at.isoformat(),
            "data": self.data,
        }
