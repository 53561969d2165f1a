"""The outbox in the admin: every event on its way out, and dead letters sent again."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from modules.live.infrastructure import relay
from modules.live.infrastructure.models import OutboxEvent
from modules.live.infrastructure.tasks import relay_outbox
from modules.shared.infrastructure.tasks import enqueue_on_commit
from modules.shared.interfaces.admin import ReadOnlyAdminMixin, TenantScopedAdminMixin


@admin.register(OutboxEvent)
class OutboxEventAdmin(ReadOnlyAdminMixin, TenantScopedAdminMixin, admin.ModelAdmin):
    """Every event on its way out; dead letters can be sent again."""

    list_display = (
        "occurred_at",
        "type",
        "sequence",
        "status",
        "attempts",
        "next_attempt_at",
        "tenant",
    )
    list_filter = ("status", "type")
    search_fields = ("=id", "=tenant__id", "=correlation_id")
    ordering = ("-occurred_at",)
    readonly_fields = (
        "id",
        "tenant",
        "sequence",
        "type",
        "occurred_at",
        "correlation_id",
        "status",
        "attempts",
        "last_error",
        "next_attempt_at",
        "published_at",
        "data",
    )
    actions = ("send_again",)

    @admin.action(description=_("Send the selected events again"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        ids = list(queryset.values_list("id", flat=True))
        count = relay.resend(ids)
        for tenant_id in set(queryset.values_list("tenant_id", flat=True)):
            enqueue_on_commit(relay_outbox, str(tenant_id))
        self.message_user(
            request,
            ngettext(
                "%(count)d event queued to be sent again.",
                "%(count)d events queued to be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
