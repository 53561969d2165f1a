"""PostgreSQL: entries and postings are append-only, and no session setting changes
that. The `finance.erasure` switch of 0002 is gone (any role could set it); a
DELETE passes only inside the erasure of a closed account (ADR 0020)."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION transactions_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND erasure_allows(OLD.tenant_id) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""

REVERT = """
CREATE OR REPLACE FUNCTION transactions_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('finance.erasure', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
"""


def _on_postgres(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("transactions", "0004_posting_checks_at_commit"),
        ("shared", "0004_erasure_grants"),
    ]

    operations = [migrations.RunPython(_on_postgres(CREATE), _on_postgres(REVERT))]
