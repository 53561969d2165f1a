"""PostgreSQL as the second wall (ADR 0022): the app's role owns nothing and may not
change the append-only rows, and row-level security shows a session the rows of
its tenant only, whatever the query forgot and whoever used the connection before."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from modules.identity.infrastructure.models import Profile
from modules.shared.application.tenancy import (
    cross_tenant,
    current_tenant_id,
    tenant_scope,
)
from modules.shared.infrastructure.database import POLICY, tenant_tables
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def one(sql: str, params: list[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def tenants_seen() -> set[Any]:
    """What a query that forgot its tenant filter returns: ORM and raw SQL."""
    orm = set(Profile.all_tenants.values_list("tenant_id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute("SELECT tenant_id FROM identity_profile")
        raw = {row[0] for row in cursor.fetchall()}
    assert orm == raw
    return orm


def test_the_app_runs_as_a_role_that_owns_nothing_and_bypasses_nothing() -> None:
    role = settings.DATABASE_APP_ROLE
    assert one("SELECT current_user") == role
    assert (
        one(
            "SELECT rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb"
            " FROM pg_roles WHERE rolname = %s",
            [role],
        )
        is False
    )
    assert (
        one("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole", [role]) == 0
    )


def test_a_query_that_forgets_its_tenant_sees_only_the_active_tenant() -> None:
    ana, bea = UserFactory(), UserFactory()
    assert tenants_seen() == set()
    with tenant_scope(ana.tenant_id):
        assert tenants_seen() == {ana.tenant_id}
    with tenant_scope(bea.tenant_id):
        assert tenants_seen() == {bea.tenant_id}
    with cross_tenant():
        assert tenants_seen() >= {ana.tenant_id, bea.tenant_id}
    assert tenants_seen() == set()


def test_a_row_of_another_tenant_cannot_be_written() -> None:
    ana, bea = UserFactory(), UserFactory()
    with (
        tenant_scope(ana.tenant_id),
        pytest.raises(DatabaseError, match="row-level security"),
        transaction.atomic(),
    ):
        Profile.all_tenants.filter(tenant_id=ana.tenant_id).update(
            tenant_id=bea.tenant_id
        )


@pytest.mark.django_db(transaction=True)
def test_a_connection_used_by_one_tenant_then_another_sees_only_the_second() -> None:
    ana, bea = UserFactory(), UserFactory()
    with tenant_scope(ana.tenant_id):
        assert tenants_seen() == {ana.tenant_id}
    connection.close()  # back to the pool, still set for ana, handed out again
    assert tenants_seen() == set()
    with tenant_scope(bea.tenant_id):
        assert tenants_seen() == {bea.tenant_id}


def seen_then_rolled_back() -> None:
    with transaction.atomic():
        assert tenants_seen() == {current_tenant_id()}
        raise ZeroDivisionError


def test_a_rolled_back_binding_is_made_again() -> None:
    """A `set_config` inside a transaction that rolls back is undone: the session
    falls back to its earlier tenant, so the backend binds again."""
    ana, bea = UserFactory(), UserFactory()
    with tenant_scope(bea.tenant_id):
        assert tenants_seen() == {bea.tenant_id}
    with tenant_scope(ana.tenant_id):
        with pytest.raises(ZeroDivisionError):
            seen_then_rolled_back()
        assert tenants_seen() == {ana.tenant_id}


REFUSED = {
    "UPDATE transactions_posting SET amount_minor = 0": "permission denied",
    "DELETE FROM transactions_entry": "permission denied",
    "TRUNCATE identity_auditevent": "permission denied",
    "TRUNCATE transactions_posting": "permission denied",
    "ALTER TABLE transactions_posting DISABLE TRIGGER ALL": "must be owner",
    "ALTER TABLE identity_profile NO FORCE ROW LEVEL SECURITY": "must be owner",
    "DROP POLICY tenant_isolation ON identity_profile": "must be owner",
    "INSERT INTO shared_erasure_grant VALUES (txid_current(), gen_random_uuid())": (
        "permission denied"
    ),
    "DELETE FROM shared_erasure_grant": "permission denied",
}


def in_one_transaction(*statements: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


@pytest.mark.parametrize("sql", REFUSED)
def test_the_app_role_is_refused(sql: str) -> None:
    with pytest.raises(DatabaseError, match=REFUSED[sql]):
        in_one_transaction(sql)


def test_no_session_setting_lets_the_app_change_a_posting() -> None:
    with pytest.raises(DatabaseError, match="permission denied"):
        in_one_transaction(
            "SET LOCAL finance.erasure = 'on'",
            "UPDATE transactions_posting SET amount_minor = 0",
        )


def test_every_tenant_table_has_a_forced_policy() -> None:
    """Generic: every table with a tenant foreign key (a model added tomorrow too)."""
    tables = tenant_tables()
    assert "transactions_posting" in tables and "identity_user" not in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_policies p"
            " ON p.tablename = c.relname AND p.policyname = %s"
            " WHERE c.relrowsecurity AND c.relforcerowsecurity",
            [POLICY],
        )
        policed = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= policed, set(tables) - policed
