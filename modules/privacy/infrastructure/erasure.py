"""Erasing a closed account once its grace period ends: every row of the tenant in
every table, in an order no foreign key objects to (ADR 0020).

Nothing here names another module's tables. The plan is read from the models that
are installed: every model with a `tenant_id` column, then every model that points
at one of those without a tenant of its own (a person's tokens, their group
memberships), and last the tenant itself. A table added tomorrow is in the plan
without a change here.

On PostgreSQL the append-only tables (entries, postings, the audit trail) refuse
DELETE from the application; the tenant's rows go through `privacy_erase_tenant`, a
SECURITY DEFINER function that refuses any tenant whose closure is not due, and
grants the triggers an exception for that tenant and that transaction only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from uuid import UUID

import structlog
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import ForeignKey, Model, QuerySet
from django.utils import timezone

from modules.identity import api as identity
from modules.privacy.infrastructure.models import AccountClosure, DataExport
from modules.shared.application.tenancy import tenant_scope

logger = structlog.get_logger("privacy.erasure")

TENANT_COLUMN = "tenant_id"


@dataclass(frozen=True)
class Step:
    """The rows of one table that belong to the tenant: by its own `tenant_id`, or
    (`via`, `parent`) as those pointing at the parent step's rows."""

    model: type[Model]
    via: str | None = None
    parent: Step | None = None

    def rows(self, tenant_id: UUID) -> QuerySet[Model]:
        manager = self.model._base_manager
        if self.parent is None:
            return manager.filter(**{TENANT_COLUMN: tenant_id})
        parents = self.parent.rows(tenant_id).values("pk")
        return manager.filter(**{f"{self.via}__in": parents})

    @property
    def table(self) -> str:
        return str(self.model._meta.db_table)


def _stored(model: type[Model]) -> bool:
    meta = model._meta
    return meta.managed and not meta.proxy and not meta.swapped


def _has_tenant_column(model: type[Model]) -> bool:
    return any(field.attname == TENANT_COLUMN for field in model._meta.concrete_fields)


def tenant_models() -> list[type[Model]]:
    """Every installed table that holds rows of a tenant, by its own column."""
    tenant = identity.tenant_model()
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if _stored(model) and model is not tenant and _has_tenant_column(model)
    ]


def plan() -> list[Step]:
    """Every table with rows of the tenant, each before the tables it points at."""
    steps = {model: Step(model) for model in tenant_models()}
    frontier = list(steps.values())
    while frontier:
        parent = frontier.pop()
        for model in apps.get_models(include_auto_created=True):
            if model in steps or not _stored(model):
                continue
            for field in model._meta.concrete_fields:
                if (
                    isinstance(field, ForeignKey)
                    and field.related_model is parent.model
                ):
                    steps[model] = Step(model, via=field.name, parent=parent)
                    frontier.append(steps[model])
                    break
    return _referrers_first(list(steps.values()))


def _referrers_first(steps: list[Step]) -> list[Step]:
    """Order the steps so a table comes before every table it has a foreign key
    to (a table pointing at itself, like a reversal at its entry, is one DELETE)."""
    by_model = {step.model: step for step in steps}
    targets = {
        step.model: {
            field.related_model
            for field in step.model._meta.concrete_fields
            if field.is_relation
            and field.related_model in by_model
            and field.related_model is not step.model
        }
        for step in steps
    }
    ordered: list[Step] = []
    pending = sorted(by_model, key=lambda model: model._meta.label)
    while pending:
        referenced = {target for model in pending for target in targets[model]}
        ready = [model for model in pending if model not in referenced] or pending[:1]
        for model in ready:
            ordered.append(by_model[model])
            pending.remove(model)
    return ordered


def erase_due_accounts() -> int:
    """The erasure job's one cross-tenant read: closures whose grace has ended.
    Each tenant is then erased on its own, in its own transaction."""
    due = list(
        AccountClosure.all_tenants.filter(
            reopened_at__isnull=True, erase_after__lte=timezone.now()
        ).values_list("tenant_id", "closed_at")
    )
    erased = 0
    for tenant_id, closed_at in due:
        try:
            erase_tenant(tenant_id, closed_on=closed_at.date())
        except Exception:
            logger.exception("erasure.failed", tenant_id=str(tenant_id))
        else:
            erased += 1
    return erased


class ErasureNotDue(RuntimeError):
    """The tenant has no closure whose grace period has ended: nothing is erased."""


def erase_tenant(tenant_id: UUID, *, closed_on: date) -> int:
    """Delete every row of the tenant and, once that commits, its export files; then
    write the one anonymous trace that an erasure happened. Returns the number of
    rows deleted. The closure must be due, checked here on every database (and again
    by `privacy_erase_tenant` on PostgreSQL)."""
    steps = plan()
    with transaction.atomic(), tenant_scope(tenant_id):
        due = AccountClosure.objects.filter(
            reopened_at__isnull=True, erase_after__lte=timezone.now()
        )
        if not due.exists():
            raise ErasureNotDue("the tenant is not due for erasure")
        files = [
            export_root() / name
            for name in DataExport.objects.exclude(file_name="").values_list(
                "file_name", flat=True
            )
        ]
        transaction.on_commit(lambda: _unlink(files))
        identity.forget_sign_in_failures(tenant_id)
        own = [step for step in steps if step.parent is None]
        rows = sum(_delete(step.rows(tenant_id)) for step in steps if step.parent)
        rows += _delete_own_rows(tenant_id, own)
        identity.audit_erasure(rows=rows, closed_on=closed_on.isoformat())
    logger.info("erasure.done", rows=rows)
    return rows


def export_root() -> Path:
    root = Path(settings.EXPORT_ROOT)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _unlink(files: Iterable[Path]) -> None:
    for path in files:
        path.unlink(missing_ok=True)


def _delete(rows: QuerySet[Model]) -> int:
    return int(rows._raw_delete(rows.db))


def _delete_own_rows(tenant_id: UUID, steps: Iterable[Step]) -> int:
    """The tenant's own rows and the tenant: through the database's one sanctioned
    path on PostgreSQL, plain deletes elsewhere (SQLite has no triggers)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT privacy_erase_tenant(%s, %s)",
                [tenant_id, [step.table for step in steps]],
            )
            return int(cursor.fetchone()[0])
    rows = sum(_delete(step.rows(tenant_id)) for step in steps)
    return rows + _delete(identity.tenant_model()._base_manager.filter(id=tenant_id))
