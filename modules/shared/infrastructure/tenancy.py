"""Tenant-owned models: a `tenant` column and a default manager that fails closed."""

from __future__ import annotations

from typing import Any

from django.db import models

from modules.shared.application.tenancy import current_tenant_id


class TenantManager(models.Manager):
    """Rows of the active tenant only; raises `TenantNotSetError` when none is active."""

    def get_queryset(self) -> models.QuerySet[Any]:
        return super().get_queryset().filter(tenant_id=current_tenant_id())


class TenantOwnedModel(models.Model):
    """Base of every tenant-owned table.

    `objects` is scoped to the active tenant. `all_tenants` is the explicit, unscoped
    path for the admin and the erasure job; nothing else may use it.
    """

    tenant = models.ForeignKey(
        "identity.Tenant", on_delete=models.CASCADE, related_name="+", db_index=True
    )

    objects = TenantManager()
    all_tenants = models.Manager()  # noqa: DJ012 - managers of an abstract base

    class Meta:
        abstract = True
