"""The database as the ledger's second wall (PostgreSQL only).

- every entry balances per currency and has two or more postings, checked at commit by
  deferred constraint triggers (so the rows of one entry can be inserted one by one);
- every posting agrees with its entry and account on tenant, and with its account on
  currency;
- entries and postings are append-only: UPDATE and DELETE are refused, except inside
  the erasure job, which sets `finance.erasure = 'on'` for its own transaction.
"""

from django.db import migrations

from modules.shared.infrastructure.database import on_postgres

CREATE = """
CREATE OR REPLACE FUNCTION transactions_entry_is_balanced() RETURNS trigger AS $$
DECLARE
    entry uuid;
BEGIN
    IF TG_TABLE_NAME = 'transactions_entry' THEN
        entry := NEW.id;
    ELSE
        entry := NEW.entry_id;
    END IF;
    IF (SELECT count(*) FROM transactions_posting WHERE entry_id = entry) < 2 THEN
        RAISE EXCEPTION 'entry % has fewer than two postings', entry
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (
        SELECT 1 FROM transactions_posting WHERE entry_id = entry
        GROUP BY currency HAVING sum(amount_minor) <> 0
    ) THEN
        RAISE EXCEPTION 'entry % does not balance', entry USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER transactions_posting_balanced
    AFTER INSERT ON transactions_posting DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION transactions_entry_is_balanced();
CREATE CONSTRAINT TRIGGER transactions_entry_balanced
    AFTER INSERT ON transactions_entry DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW EXECUTE FUNCTION transactions_entry_is_balanced();

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

CREATE OR REPLACE FUNCTION transactions_append_only() RETURNS trigger AS $$
BEGIN
    IF current_setting('finance.erasure', true) = 'on' THEN
        RETURN COALESCE(NEW, OLD);
    END IF;
    RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER transactions_entry_append_only
    BEFORE UPDATE OR DELETE ON transactions_entry
    FOR EACH ROW EXECUTE FUNCTION transactions_append_only();
CREATE TRIGGER transactions_posting_append_only
    BEFORE UPDATE OR DELETE ON transactions_posting
    FOR EACH ROW EXECUTE FUNCTION transactions_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS transactions_posting_append_only ON transactions_posting;
DROP TRIGGER IF EXISTS transactions_entry_append_only ON transactions_entry;
DROP FUNCTION IF EXISTS transactions_append_only();
DROP TRIGGER IF EXISTS transactions_posting_consistent ON transactions_posting;
DROP FUNCTION IF EXISTS transactions_posting_consistent();
DROP TRIGGER IF EXISTS transactions_entry_balanced ON transactions_entry;
DROP TRIGGER IF EXISTS transactions_posting_balanced ON transactions_posting;
DROP FUNCTION IF EXISTS transactions_entry_is_balanced();
"""


class Migration(migrations.Migration):
    dependencies = [("transactions", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(on_postgres(CREATE), on_postgres(DROP))]
