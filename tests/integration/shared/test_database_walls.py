"""PostgreSQL as the second wall (ADR 0022): the app's role owns nothing, may not
change the append-only rows nor write the erasure grant, and every connection the
app is handed has that role, whoever used it before."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from modules.shared.infrastructure.database import as_owner, session_role

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def one(sql: str, params: list[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def in_one_transaction(*statements: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def test_the_app_runs_as_a_role_that_owns_nothing_and_bypasses_nothing() -> None:
    role = settings.DATABASE_APP_ROLE
    assert one("SELECT current_user") == role
    powers = one(
        "SELECT rolsuper OR rolbypassrls OR rolcreaterole OR rolcreatedb"
        " FROM pg_roles WHERE rolname = %s",
        [role],
    )
    assert powers is False
    assert (
        one("SELECT count(*) FROM pg_class WHERE relowner = %s::regrole", [role]) == 0
    )


def test_only_migrate_and_flush_run_as_the_owner() -> None:
    with as_owner():
        owner = one("SELECT current_user")
    assert owner != settings.DATABASE_APP_ROLE
    assert one("SELECT current_user") == settings.DATABASE_APP_ROLE


@pytest.mark.django_db(transaction=True)
def test_every_connection_handed_out_has_the_app_role() -> None:
    """The pool hands out connections left as someone else by their last user."""
    with as_owner():
        one("SELECT 1")  # this pooled connection goes back as the owner
    connection.close()
    for _ in range(4):
        assert one("SELECT current_user") == settings.DATABASE_APP_ROLE
        connection.close()


def test_a_server_side_cursor_as_first_query_still_takes_the_app_role() -> None:
    """`.iterator()` in a transaction reads through a named cursor, which would
    only DECLARE a `set_config` sent through it: the role is taken on a cursor of
    its own."""
    with as_owner():
        one("SELECT 1")  # the connection is the owner; the next query switches
    with transaction.atomic():
        list(ContentType.objects.iterator())
        assert one("SELECT current_user") == settings.DATABASE_APP_ROLE


def test_as_owner_holds_in_its_own_thread_only() -> None:
    """A live server's threads keep the app's role while a test flushes as owner."""
    with as_owner(), ThreadPoolExecutor(max_workers=1) as pool:
        elsewhere = pool.submit(session_role, "default").result()
        here = session_role("default")
    assert here == "none"
    assert elsewhere == settings.DATABASE_APP_ROLE


def owner_then_rolled_back() -> None:
    with transaction.atomic():
        assert one("SELECT current_user") == settings.DATABASE_APP_ROLE
        raise ZeroDivisionError


def test_a_role_set_in_a_rolled_back_transaction_is_set_again() -> None:
    """A `set_config` undone by a rollback: the backend sets the role again."""
    with as_owner():
        one("SELECT 1")
    with pytest.raises(ZeroDivisionError):
        owner_then_rolled_back()
    assert one("SELECT current_user") == settings.DATABASE_APP_ROLE


REFUSED = {
    "UPDATE transactions_posting SET amount_minor = 0": "permission denied",
    "UPDATE transactions_entry SET payee = ''": "permission denied",
    "DELETE FROM transactions_entry": "permission denied",
    "UPDATE identity_auditevent SET metadata = '{}'": "permission denied",
    "TRUNCATE identity_auditevent": "permission denied",
    "TRUNCATE transactions_posting": "permission denied",
    "ALTER TABLE transactions_posting DISABLE TRIGGER ALL": "must be owner",
    "DROP TRIGGER identity_auditevent_append_only ON identity_auditevent": (
        "must be owner"
    ),
    "INSERT INTO shared_erasure_grant VALUES (txid_current(), gen_random_uuid())": (
        "permission denied"
    ),
    "DELETE FROM shared_erasure_grant": "permission denied",
    "CREATE TABLE intruder (id int)": "permission denied",
}


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


def test_the_app_may_call_the_erasure_function_and_read_the_grant() -> None:
    assert one("SELECT count(*) FROM shared_erasure_grant") == 0
    assert one(
        "SELECT has_function_privilege(current_user,"
        " 'privacy_erase_tenant(uuid, text[])', 'EXECUTE')"
    )
