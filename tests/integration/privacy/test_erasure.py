"""Erasure (issue 13 item 7): once the grace period ends, every row of the tenant
in every table goes, on SQLite and on PostgreSQL with its append-only triggers,
and one anonymous audit event says that an erasure happened."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.utils import timezone

from modules.identity.application.ports import AuditAction
from modules.identity.infrastructure.models import AuditEvent, Tenant
from modules.privacy.infrastructure.erasure import (
    ErasureNotDue,
    erase_tenant,
    export_root,
    plan,
    tenant_models,
)
from modules.privacy.infrastructure.models import AccountClosure, DataExport
from modules.privacy.infrastructure.tasks import enforce_retention
from modules.shared.application.tenancy import tenant_scope
from tests.factories import PASSWORD
from tests.integration.privacy.people import lived_in_person

# Committed for real: deferred foreign keys and triggers are checked at commit.
pytestmark = pytest.mark.django_db(transaction=True)

# What the lived-in person must have touched, so the test proves something.
SEEDED = {
    "identity.User", "identity.Profile", "identity.AuditEvent",
    "identity.RevokedTokenFamily", "accounts.Account", "transactions.Entry",
    "transactions.Posting", "transactions.Category", "budgets.Budget",
    "recurring.RecurringRule", "loans.Loan", "privacy.DataExport",
    "privacy.AccountClosure", "live.OutboxEvent", "notifications.Notification",
    "shared.IdempotencyRecord", "token_blacklist.OutstandingToken",
}  # fmt: skip


def rows_by_model(tenant_id: Any) -> Counter[str]:
    """Every row of the tenant, by model, in every table the erasure plans for."""
    return Counter(
        {
            step.model._meta.label: step.rows(tenant_id).count()
            for step in plan()
            if step.rows(tenant_id).exists()
        }
    )


def close_and_let_the_grace_end(client: Any, tenant_id: Any) -> None:
    response = client.delete("/api/v1/me", {"password": PASSWORD}, format="json")
    assert response.status_code == 202, response.content
    AccountClosure.all_tenants.filter(tenant_id=tenant_id).update(
        erase_after=timezone.now() - timedelta(seconds=1)
    )


def test_every_row_of_the_tenant_goes_and_other_tenants_stay() -> None:
    ana, ana_api, _ = lived_in_person()
    bea, _, _ = lived_in_person()
    close_and_let_the_grace_end(ana_api, ana.tenant_id)
    before = rows_by_model(ana.tenant_id)
    assert set(before) >= SEEDED, SEEDED - set(before)
    bea_before = rows_by_model(bea.tenant_id)

    counts = enforce_retention()

    assert counts["closed_accounts"] == 1
    for model in tenant_models():
        left = model._base_manager.filter(tenant_id=ana.tenant_id).count()
        assert left == 0, f"{model._meta.label} kept {left} rows"
    assert rows_by_model(ana.tenant_id) == Counter()
    assert not Tenant.objects.filter(id=ana.tenant_id).exists()
    assert rows_by_model(bea.tenant_id) == bea_before
    trace = AuditEvent.all_tenants.get(action=AuditAction.TENANT_ERASED)
    assert (trace.tenant_id, trace.actor_id) == (None, None)
    assert trace.metadata["rows"] == str(sum(before.values()) + 1)  # and the tenant
    assert ana.email not in str(trace.metadata)


def test_a_tenant_whose_grace_has_not_ended_is_kept() -> None:
    ana, ana_api, _ = lived_in_person()
    response = ana_api.delete("/api/v1/me", {"password": PASSWORD}, format="json")
    assert response.status_code == 202
    before = rows_by_model(ana.tenant_id)

    assert enforce_retention()["closed_accounts"] == 0

    assert rows_by_model(ana.tenant_id) == before


def export_files(tenant_id: Any) -> list[Any]:
    with tenant_scope(tenant_id):
        names = DataExport.objects.exclude(file_name="").values_list(
            "file_name", flat=True
        )
        return [export_root() / name for name in names]


def test_the_export_files_of_the_tenant_go_with_it() -> None:
    ana, ana_api, _ = lived_in_person()
    bea, _, _ = lived_in_person()
    files, kept = export_files(ana.tenant_id), export_files(bea.tenant_id)
    assert files and all(path.exists() for path in files)
    close_and_let_the_grace_end(ana_api, ana.tenant_id)

    assert enforce_retention()["closed_accounts"] == 1

    assert not any(path.exists() for path in files)
    assert all(path.exists() for path in kept)


def test_a_tenant_that_is_not_due_is_refused_on_every_database() -> None:
    """The job only picks due closures; the erasure itself checks again."""
    ana, ana_api, _ = lived_in_person()
    with pytest.raises(ErasureNotDue):
        erase_tenant(ana.tenant_id, closed_on=timezone.now().date())
    response = ana_api.delete("/api/v1/me", {"password": PASSWORD}, format="json")
    assert response.status_code == 202
    before = rows_by_model(ana.tenant_id)
    with pytest.raises(ErasureNotDue):
        erase_tenant(ana.tenant_id, closed_on=timezone.now().date())
    assert rows_by_model(ana.tenant_id) == before
    assert export_files(ana.tenant_id)[0].exists()


def test_the_plan_covers_every_table_with_a_tenant_column() -> None:
    """Generic: any model with a `tenant_id` column is in the plan, before the
    tables it points at; nothing names a module's tables."""
    planned = [step.model for step in plan()]
    with_tenant = {
        model
        for model in _all_models()
        if any(f.attname == "tenant_id" for f in model._meta.concrete_fields)
        and model is not Tenant
    }
    assert with_tenant <= set(planned)
    position = {model: index for index, model in enumerate(planned)}
    for model in planned:
        for field in model._meta.concrete_fields:
            target = field.related_model
            if field.is_relation and target in position and target is not model:
                assert position[model] < position[target], (model, target)


def _all_models() -> list[type[Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]


@pytest.mark.postgres
def test_on_postgres_only_the_erasure_function_deletes_ledger_rows() -> None:
    ana, ana_api, _ = lived_in_person()
    tables = [step.table for step in plan() if step.parent is None]
    # Not closed: the function refuses.
    with (
        pytest.raises(DatabaseError, match="not due"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT privacy_erase_tenant(%s, %s)", [ana.tenant_id, tables])
    close_and_let_the_grace_end(ana_api, ana.tenant_id)
    # Due, but a plain DELETE is still refused: the app's role may not delete
    # ledger rows, and the append-only trigger refuses a young audit event.
    for table, refusal in (
        ("transactions_posting", "permission denied"),
        ("transactions_entry", "permission denied"),
        ("identity_auditevent", "append-only"),
    ):
        with (
            pytest.raises(DatabaseError, match=refusal),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"DELETE FROM {table} WHERE tenant_id = %s",  # noqa: S608
                [ana.tenant_id],
            )
    # The grant lasts for the function's own transaction only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM shared_erasure_grant")
        assert cursor.fetchone()[0] == 0
