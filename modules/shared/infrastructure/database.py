"""The database's own wall on PostgreSQL (ADR 0022): the app's role and its grants.

- Migrations (and `flush`) run as the owner, the role of `DATABASE_URL`; every other
  connection switches to `DATABASE_APP_ROLE`, which owns nothing.
- `secure_database` runs after every `migrate`: it creates the role if missing and
  grants it what the app needs, nothing more.
- `session_role` is the role a connection must have before its next query; the
  backend sets it again whenever it differs, on every connection it hands out, and
  after any rollback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.backends.base.base import NO_DB_ALIAS

# The one function that may write the erasure grant and delete append-only rows.
ERASURE_FUNCTION = "privacy_erase_tenant(uuid, text[])"
# The app reads these and never writes them.
READ_ONLY_TABLES = ("shared_erasure_grant", "django_migrations")
# Audit events past their retention period are deleted by the app's purge; the
# append-only trigger refuses every younger one.
PURGED_APPEND_ONLY_TABLES = ("identity_auditevent",)

_as_owner = False


@contextmanager
def as_owner() -> Iterator[None]:
    """Connections in this block stay the owner: `migrate` and `flush` only."""
    global _as_owner
    before, _as_owner = _as_owner, True
    try:
        yield
    finally:
        _as_owner = before


def session_role(alias: str) -> str:
    """The role as `set_config('role', ...)` takes it; "none" is the login role."""
    if _as_owner or alias == NO_DB_ALIAS or not settings.DATABASE_APP_ROLE:
        return "none"
    return str(settings.DATABASE_APP_ROLE)


def _role_sql(role: str) -> list[str]:
    return [
        f"""DO $$ BEGIN
            CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$""",
        f"ALTER ROLE {role} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]


def _existing(cursor: Any, names: tuple[str, ...], kind: str) -> list[str]:
    """Those of `names` that exist (a partial `migrate` may not have made them)."""
    cursor.execute(
        f"SELECT n FROM unnest(%s::text[]) n WHERE to_{kind}(n) IS NOT NULL",  # noqa: S608 - kind is ours
        [list(names)],
    )
    return [row[0] for row in cursor.fetchall()]


def _append_only_tables(cursor: Any) -> list[str]:
    cursor.execute(
        "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger "
        "WHERE NOT tgisinternal AND tgname LIKE '%%append_only' ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def secure_database(using: str = "default", **_: Any) -> None:
    """The role and its grants, idempotently (a `post_migrate` receiver)."""
    connection = connections[using]
    if connection.vendor != "postgresql" or not settings.DATABASE_APP_ROLE:
        return
    quote = connection.ops.quote_name
    role = quote(settings.DATABASE_APP_ROLE)
    with connection.cursor() as cursor:
        statements = _role_sql(role)
        for table in _existing(cursor, READ_ONLY_TABLES, "regclass"):
            statements.append(f"REVOKE INSERT, UPDATE, DELETE ON {table} FROM {role}")
        for function in _existing(cursor, (ERASURE_FUNCTION,), "regprocedure"):
            statements.append(f"GRANT EXECUTE ON FUNCTION {function} TO {role}")
        for table in _append_only_tables(cursor):
            statements.append(f"REVOKE UPDATE, DELETE ON {table} FROM {role}")
        for table in _existing(cursor, PURGED_APPEND_ONLY_TABLES, "regclass"):
            statements.append(f"GRANT DELETE ON {table} TO {role}")
        for statement in statements:
            cursor.execute(statement)


def on_postgres(sql: str) -> Callable[[Any, Any], None]:
    """A `RunPython` step that runs `sql` on PostgreSQL and nothing elsewhere."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run
