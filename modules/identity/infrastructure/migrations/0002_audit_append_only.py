"""On PostgreSQL the database itself refuses to change or delete an audit event."""

from django.db import migrations

from modules.shared.infrastructure.database import on_postgres

CREATE = """
CREATE OR REPLACE FUNCTION identity_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER identity_auditevent_append_only
    BEFORE UPDATE OR DELETE ON identity_auditevent
    FOR EACH ROW EXECUTE FUNCTION identity_audit_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS identity_auditevent_append_only ON identity_auditevent;
DROP FUNCTION IF EXISTS identity_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("identity", "0001_initial")]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(DROP))]
