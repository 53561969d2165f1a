"""PostgreSQL: entries and postings are append-only, and no session setting changes
that. The `finance.erasure` switch of 0002 is gone (any role could set it); a
DELETE passes only inside the erasure of a closed account (ADR 0020)."""

from django.db import migrations

from modules.shared.infrastructure.database import on_postgres

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


class Migration(migrations.Migration):
    dependencies = [
        ("transactions", "0004_posting_checks_at_commit"),
        ("shared", "0004_erasure_grants"),
    ]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(REVERT))]
