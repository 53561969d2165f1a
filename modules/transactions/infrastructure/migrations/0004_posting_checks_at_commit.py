"""PostgreSQL: check each posting against its entry, account and category at commit
(a deferred constraint trigger, like the balance check), so an entry and its
postings can be written in one statement. The check also covers the category's
tenant and a reversal's tenant, which it did not before."""

from django.db import migrations

from modules.shared.infrastructure.database import on_postgres

CREATE = """
DROP TRIGGER IF EXISTS transactions_posting_consistent ON transactions_posting;

CREATE OR REPLACE FUNCTION transactions_posting_consistent() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM transactions_entry e
        WHERE e.id = NEW.entry_id AND e.tenant_id = NEW.tenant_id
    ) THEN
        RAISE EXCEPTION 'posting tenant differs from its entry' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.account_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM accounts_account a
        WHERE a.id = NEW.account_id AND a.tenant_id = NEW.tenant_id
          AND a.currency = NEW.currency
    ) THEN
        RAISE EXCEPTION 'posting account belongs to another tenant or currency'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.category_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM transactions_category c
        WHERE c.id = NEW.category_id AND c.tenant_id = NEW.tenant_id
    ) THEN
        RAISE EXCEPTION 'posting category belongs to another tenant'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER transactions_posting_consistent
    AFTER INSERT ON transactions_posting DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION transactions_posting_consistent();

CREATE OR REPLACE FUNCTION transactions_reversal_same_tenant() RETURNS trigger AS $$
BEGIN
    IF NEW.reverses_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM transactions_entry e
        WHERE e.id = NEW.reverses_id AND e.tenant_id = NEW.tenant_id
    ) THEN
        RAISE EXCEPTION 'reversal of another tenant''s entry'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER transactions_reversal_same_tenant
    AFTER INSERT ON transactions_entry DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION transactions_reversal_same_tenant();
"""

DROP = """
DROP TRIGGER IF EXISTS transactions_reversal_same_tenant ON transactions_entry;
DROP FUNCTION IF EXISTS transactions_reversal_same_tenant();
DROP TRIGGER IF EXISTS transactions_posting_consistent ON transactions_posting;
CREATE OR REPLACE FUNCTION transactions_posting_consistent() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM transactions_entry e
        WHERE e.id = NEW.entry_id AND e.tenant_id = NEW.tenant_id
    ) THEN
        RAISE EXCEPTION 'posting tenant differs from its entry' USING ERRCODE = 'check_violation';
    END IF;
    IF NEW.account_id IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM accounts_account a
        WHERE a.id = NEW.account_id AND a.tenant_id = NEW.tenant_id
          AND a.currency = NEW.currency
    ) THEN
        RAISE EXCEPTION 'posting account belongs to another tenant or currency'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER transactions_posting_consistent
    BEFORE INSERT ON transactions_posting
    FOR EACH ROW EXECUTE FUNCTION transactions_posting_consistent();
"""


class Migration(migrations.Migration):
    dependencies = [("transactions", "0003_monthly_totals")]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(DROP))]
