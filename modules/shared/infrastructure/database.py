"""The database's own wall on PostgreSQL (ADR 0022): the app's role and its grants.

- Migrations (and `flush`) run as the owner, the role of `DATABASE_URL`; every other
  connection switches to `DATABASE_APP_ROLE`, which owns nothing.
- `secure_database` runs after every `migrate`: it creates the role if missing and
  grants it what the app needs, nothing more.
- `guard_tenant_foreign_keys` runs after every `migrate` too: every foreign key from
  a tenant-owned table to another gets a trigger refusing a row of another tenant.
- `session_role` is the role a connection must have before its next query; the
  backend sets it again whenever it differs, on every connection it hands out, and
  after any rollback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import NO_DB_ALIAS

# The one function that may write the erasure grant and delete append-only rows.
ERASURE_FUNCTION = "privacy_erase_tenant(uuid, text[])"
# The app reads these and never writes them.
READ_ONLY_TABLES = ("shared_erasure_grant", "django_migrations")
# Audit events past their retention period are deleted by the app's purge; the
# append-only trigger refuses every younger one.
PURGED_APPEND_ONLY_TABLES = ("identity_auditevent",)

# Per thread and task: a live server's threads keep the app's role while a test
# flushes the database as the owner.
_as_owner: ContextVar[bool] = ContextVar("as_owner", default=False)


@contextmanager
def as_owner() -> Iterator[None]:
    """Connections in this block stay the owner: `migrate` and `flush` only."""
    token = _as_owner.set(True)
    try:
        yield
    finally:
        _as_owner.reset(token)


def session_role(alias: str) -> str:
    """The role as `set_config('role', ...)` takes it; "none" is the login role."""
    if _as_owner.get() or alias == NO_DB_ALIAS or not settings.DATABASE_APP_ROLE:
        return "none"
    return str(settings.DATABASE_APP_ROLE)


def _role_sql(role: str, name: str) -> list[str]:
    """`role` quoted as an identifier, `name` as it is."""
    return [
        f"""DO $$ BEGIN
            CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$""",
        f"ALTER ROLE {role} NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE",
        # An owner that is not a superuser (managed PostgreSQL) needs membership
        # to take the role; a superuser has it already.
        f"""DO $$ BEGIN
            IF NOT pg_has_role(current_user, '{name}', 'MEMBER') THEN
                EXECUTE format('GRANT %I TO %I', '{name}', current_user);
            END IF;
        END $$""",
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
    with transaction.atomic(using=using), connection.cursor() as cursor:
        statements = _role_sql(role, settings.DATABASE_APP_ROLE)
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


TENANT_MODEL = "identity.Tenant"
TENANT_TRIGGER_FUNCTION = "shared_same_tenant"

# TG_ARGV: fk column, target table, target tenant column, target key, own tenant column.
# A missing target is the foreign key's business (it is checked at commit too).
_SAME_TENANT_SQL = """
CREATE OR REPLACE FUNCTION shared_same_tenant() RETURNS trigger AS $$
DECLARE
    foreign_row boolean;
BEGIN
    EXECUTE format(
        'SELECT EXISTS (SELECT 1 FROM %I t WHERE t.%I = ($1).%I'
        ' AND t.%I IS DISTINCT FROM ($1).%I)',
        TG_ARGV[1], TG_ARGV[3], TG_ARGV[0], TG_ARGV[2], TG_ARGV[4]
    ) INTO foreign_row USING NEW;
    IF foreign_row THEN
        RAISE EXCEPTION '% % belongs to another tenant', TG_TABLE_NAME, TG_ARGV[0]
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


@dataclass(frozen=True)
class TenantForeignKey:
    """A foreign key from one tenant-owned table to another."""

    table: str
    column: str
    tenant_column: str
    target_table: str
    target_column: str
    target_tenant_column: str

    @property
    def trigger(self) -> str:
        return f"tenant_fk_{self.column}"

    @property
    def arguments(self) -> list[str]:
        return [
            self.column,
            self.target_table,
            self.target_tenant_column,
            self.target_column,
            self.tenant_column,
        ]


def _tenant_column(model: Any) -> str | None:
    """The column of the model's `tenant` relation, if it is tenant-owned."""
    field = next((f for f in model._meta.concrete_fields if f.name == "tenant"), None)
    if field is None or not field.is_relation:
        return None
    return (
        str(field.column) if field.related_model._meta.label == TENANT_MODEL else None
    )


def tenant_foreign_keys() -> list[TenantForeignKey]:
    """Every foreign key between tenant-owned tables, from the app registry."""
    found = []
    for model in apps.get_models():
        tenant_column = _tenant_column(model)
        if tenant_column is None or not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not field.is_relation or field.name == "tenant":
                continue
            target = field.related_model
            target_tenant_column = _tenant_column(target)
            if target_tenant_column is None:
                continue
            found.append(
                TenantForeignKey(
                    table=model._meta.db_table,
                    column=field.column,
                    tenant_column=tenant_column,
                    target_table=target._meta.db_table,
                    target_column=field.target_field.column,
                    target_tenant_column=target_tenant_column,
                )
            )
    return sorted(found, key=lambda key: (key.table, key.column))


def _existing_columns(cursor: Any) -> set[tuple[str, str]]:
    cursor.execute(
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema()"
    )
    return {(table, column) for table, column in cursor.fetchall()}


def guard_tenant_foreign_keys(using: str = "default", **_: Any) -> None:
    """A same-tenant trigger on every tenant foreign key, idempotently (`post_migrate`).

    Deferred to commit, like the ledger's checks: rows may be written in any order.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    with transaction.atomic(using=using), connection.cursor() as cursor:
        columns = _existing_columns(cursor)
        cursor.execute(_SAME_TENANT_SQL)
        cursor.execute(
            "SELECT format('DROP TRIGGER %%I ON %%s', tgname, tgrelid::regclass)"
            " FROM pg_trigger WHERE tgfoid = %s::regproc",
            [TENANT_TRIGGER_FUNCTION],
        )
        for (drop,) in cursor.fetchall():  # each is made again below, if still due
            cursor.execute(drop)
        for key in tenant_foreign_keys():
            needed = {
                (key.table, key.column),
                (key.table, key.tenant_column),
                (key.target_table, key.target_column),
                (key.target_table, key.target_tenant_column),
            }
            if not needed <= columns:
                continue  # a partial `migrate`: the next one adds it
            table, trigger = quote(key.table), quote(key.trigger)
            arguments = ", ".join(f"'{argument}'" for argument in key.arguments)
            cursor.execute(
                f"CREATE CONSTRAINT TRIGGER {trigger}"
                f" AFTER INSERT OR UPDATE OF {quote(key.column)},"
                f" {quote(key.tenant_column)} ON {table}"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW"
                f" EXECUTE FUNCTION {TENANT_TRIGGER_FUNCTION}({arguments})"
            )


def on_postgres(sql: str) -> Callable[[Any, Any], None]:
    """A `RunPython` step that runs `sql` on PostgreSQL and nothing elsewhere."""

    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run
