"""The database's own walls on PostgreSQL (ADR 0022): the app's role, its grants,
row-level security on every tenant table, and who the session is.

- Migrations (and `flush`) run as the owner, the role of `DATABASE_URL`; every other
  connection switches to `DATABASE_APP_ROLE`, which owns nothing.
- `secure_database` runs after every `migrate`: it creates the role if missing, grants
  it what the app needs, and forces a `tenant_isolation` policy on every table with a
  `tenant` foreign key, found in the app registry (a new tenant model is covered).
- `session_state` is what a connection must be before its next query: the role, the
  active tenant (`finance.tenant_id`) and the cross-tenant flag
  (`finance.cross_tenant`), read from the tenant context; the backend sets it again
  whenever it differs, on every connection it hands out, and after any rollback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections
from django.db.backends.base.base import NO_DB_ALIAS
from django.db.models import ForeignKey, Model

from modules.shared.application.tenancy import active_tenant_id, is_cross_tenant

POLICY = "tenant_isolation"
POLICY_RULE = (
    "current_setting('finance.cross_tenant', true) = 'on' OR "
    "tenant_id = nullif(current_setting('finance.tenant_id', true), '')::uuid"
)
# People are found by email or id before their tenant is known (sign-in, tokens,
# sessions): the one table with a tenant that the policies leave to the app (ADR 0003).
UNPOLICED_TABLES = ("identity_user",)
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


def session_state(alias: str) -> tuple[str, str, str]:
    """(role, tenant, cross-tenant) as `set_config` takes them."""
    if _as_owner or alias == NO_DB_ALIAS or not settings.DATABASE_APP_ROLE:
        return ("none", "", "on")
    tenant = active_tenant_id()
    return (
        settings.DATABASE_APP_ROLE,
        str(tenant) if tenant else "",
        "on" if is_cross_tenant() else "off",
    )


def _tenant_column(model: type[Model]) -> bool:
    return any(
        isinstance(field, ForeignKey) and field.attname == "tenant_id"
        for field in model._meta.concrete_fields
    )


def tenant_tables() -> list[str]:
    """Every installed table whose rows belong to a tenant by a `tenant` foreign key,
    but the people themselves."""
    return sorted(
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and _tenant_column(model)
        and model._meta.db_table not in UNPOLICED_TABLES
    )


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


def _policy_sql(table: str) -> list[str]:
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS {POLICY} ON {table}",
        f"CREATE POLICY {POLICY} ON {table} USING ({POLICY_RULE}) WITH CHECK ({POLICY_RULE})",
    ]


def secure_database(using: str = "default", **_: Any) -> None:
    """Role, grants and policies, idempotently (a `post_migrate` receiver)."""
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
        for table in tenant_tables():
            statements += _policy_sql(quote(table))
        for statement in statements:
            cursor.execute(statement)


def on_postgres(sql: str) -> Callable[[Any, Any], None]:
    """A `RunPython` step that runs `sql` on PostgreSQL and nothing elsewhere."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run
