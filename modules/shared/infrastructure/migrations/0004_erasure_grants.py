"""PostgreSQL: the one exception to the append-only tables (ADR 0020).

`shared_erasure_grant` names a tenant and a transaction. Only the erasure function
(`privacy_erase_tenant`, SECURITY DEFINER) writes it, inside its own transaction;
the application's role may read it and nothing else. The append-only triggers ask
`erasure_allows(tenant)` before they refuse a DELETE, so the erasure of a closed
account can remove its ledger and audit rows, and nothing else can, whatever
settings a session sets.
"""

from django.db import migrations

from modules.shared.infrastructure.database import on_postgres

CREATE = """
CREATE TABLE shared_erasure_grant (
    txid bigint NOT NULL,
    tenant_id uuid NOT NULL,
    PRIMARY KEY (txid, tenant_id)
);
CREATE OR REPLACE FUNCTION erasure_allows(tenant uuid) RETURNS boolean AS $$
    SELECT EXISTS (
        SELECT 1 FROM shared_erasure_grant g
        WHERE g.txid = txid_current() AND g.tenant_id = tenant
    );
$$ LANGUAGE sql STABLE;
"""

DROP = """
DROP FUNCTION IF EXISTS erasure_allows(uuid);
DROP TABLE IF EXISTS shared_erasure_grant;
"""


class Migration(migrations.Migration):
    dependencies = [("shared", "0003_outbox_moves_to_live")]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(DROP))]
