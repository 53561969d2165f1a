"""Admin pages across tenants, with each object's form scoped to that object's tenant."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from modules.shared.application.tenancy import tenant_scope
from modules.shared.infrastructure import outbox
from modules.shared.infrastructure.models import OutboxEvent
from modules.shared.infrastructure.tasks import enqueue_on_commit, relay_outbox


class ReadOnlyAdminMixin:
    """View only, whatever the admin's permissions."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TenantScopedAdminMixin:
    """Lists show every tenant (the explicit `all_tenants` path); the page of one object
    runs as that object's tenant, so every foreign-key choice, inline and lookup made
    through a tenant-scoped manager is limited to it."""

    tenant_field = "tenant_id"
    model: type[Model]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        manager = getattr(self.model, "all_tenants", self.model._default_manager)
        queryset: QuerySet[Any] = manager.get_queryset()
        ordering = self.get_ordering(request)  # type: ignore[attr-defined]
        return queryset.order_by(*ordering) if ordering else queryset

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        tenant_id = self._tenant_of(request, object_id)
        if tenant_id is None:
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc, no-any-return]
        with tenant_scope(tenant_id):
            return super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc, no-any-return]

    def _tenant_of(self, request: HttpRequest, object_id: str | None) -> UUID | None:
        if object_id is None:
            return None
        try:
            rows = self.get_queryset(request).filter(pk=object_id)
            return rows.values_list(self.tenant_field, flat=True).first()  # type: ignore[no-any-return]
        except (ValueError, TypeError):
            return None


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
        count = outbox.resend(ids)
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
