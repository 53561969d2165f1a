"""In-app notifications."""

from __future__ import annotations

import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modules.shared.domain.notifications import NotificationKind
from modules.shared.infrastructure.tenancy import TenantOwnedModel


class Notification(TenantOwnedModel):
    """Something the person should know; made once per event (`source_event_id`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(
        _("kind"),
        max_length=40,
        choices=[(kind.value, kind.value) for kind in NotificationKind],
    )
    params = models.JSONField(_("details"), encoder=DjangoJSONEncoder, default=dict)
    source_event_id = models.UUIDField(_("source event"), editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=("tenant", "source_event_id"), name="notification_once_per_event"
            )
        ]
        indexes = [
            models.Index(
                fields=("tenant", "created_at"),
                name="notification_unread",
                condition=models.Q(read_at__isnull=True),
            )
        ]

    def __str__(self) -> str:
        return self.kind
