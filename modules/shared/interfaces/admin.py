"""Admin pages across tenants, with each object's form scoped to that object's tenant."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from modules.shared.application.tenancy import tenant_scope


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
