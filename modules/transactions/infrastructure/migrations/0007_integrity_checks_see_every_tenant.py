"""PostgreSQL: the ledger's integrity triggers read the rows they check whatever
tenant the session is bound to when they fire (ADR 0022). A deferred check runs at
COMMIT, when row-level security would show it the tenant of the moment, not the
tenant of the rows; each function runs with the cross-tenant flag of its own."""

from django.db import migrations

from modules.shared.infrastructure.database import on_postgres

FUNCTIONS = (
    "transactions_entry_is_balanced()",
    "transactions_posting_consistent()",
    "transactions_reversal_same_tenant()",
)

SEE_ALL = "".join(
    f"ALTER FUNCTION {name} SET finance.cross_tenant = 'on';" for name in FUNCTIONS
)
RESET = "".join(f"ALTER FUNCTION {name} RESET finance.cross_tenant;" for name in FUNCTIONS)


class Migration(migrations.Migration):
    dependencies = [("transactions", "0006_merge_0005_append_only_but_erasure_0005_revaluation")]

    operations = [migrations.RunPython(on_postgres(SEE_ALL), on_postgres(RESET))]
