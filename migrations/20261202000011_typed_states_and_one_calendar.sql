-- Typed states and one calendar.
--
-- * "Overdue" is not a status: it is an open invoice whose due date has passed. The hourly job
--   that overwrote `partial` with `overdue` (and lost it) is gone; rows it touched get back the
--   status their amounts and history say.
-- * Dates default to the Swiss date (app_today()), never the session's time zone.
-- * Portal users may only make the transitions the application performs on their documents:
--   a client views a sent quote or invoice, signs or rejects a quote it can sign. Any other
--   column they try to change is refused by the database.

SELECT set_config('app.role', 'system', true);

-- Overdue becomes derived --------------------------------------------------------------------
ALTER TABLE invoices DISABLE TRIGGER invoices_locked;
UPDATE invoices SET status = CASE
        WHEN paid_minor > 0 THEN 'partial'
        WHEN viewed_at IS NOT NULL THEN 'viewed'
        ELSE 'sent' END
    WHERE status = 'overdue';
ALTER TABLE invoices ENABLE TRIGGER invoices_locked;
ALTER TABLE invoices DROP CONSTRAINT invoices_status_check;
ALTER TABLE invoices ADD CONSTRAINT invoices_status_check
    CHECK (status IN ('draft', 'sent', 'viewed', 'partial', 'paid', 'cancelled', 'disputed'));

CREATE OR REPLACE FUNCTION receivable_delta(sign integer, status text, company_id uuid, due_date date, currency char(3),
                                            total bigint, paid bigint, credited bigint)
RETURNS TABLE (company_id uuid, due_date date, currency char(3), n integer, balance bigint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT $3, $4, $5, $1, (($6 - $7 - $8) * $1)::bigint
    WHERE $2 IN ('sent', 'viewed', 'partial')
$$;
DROP INDEX invoices_open;
CREATE INDEX invoices_open ON invoices (company_id, due_date) INCLUDE (currency, total_minor, paid_minor, credited_minor)
    WHERE status IN ('sent', 'viewed', 'partial');

-- One calendar ---------------------------------------------------------------------------------
ALTER TABLE quotes ALTER COLUMN issue_date SET DEFAULT app_today();
ALTER TABLE invoices ALTER COLUMN issue_date SET DEFAULT app_today();
ALTER TABLE credit_notes ALTER COLUMN issue_date SET DEFAULT app_today();
ALTER TABLE bank_accounts ALTER COLUMN balance_on SET DEFAULT app_today();

-- Portal transitions ---------------------------------------------------------------------------
-- Which columns a transition may touch, and which transitions a client may make.
CREATE FUNCTION portal_transition_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    allowed boolean;
    movable text[];
BEGIN
    IF (SELECT app_role()) IS DISTINCT FROM 'client' THEN
        RETURN NEW;
    END IF;
    IF TG_TABLE_NAME = 'quotes' THEN
        allowed := (OLD.status, NEW.status) IN (('sent', 'viewed'), ('sent', 'signed'), ('viewed', 'signed'),
                                                 ('sent', 'rejected'), ('viewed', 'rejected'), ('viewed', 'viewed'));
        movable := ARRAY['status', 'viewed_at', 'signed_at', 'updated_at'];
    ELSE
        allowed := (OLD.status, NEW.status) IN (('sent', 'viewed'));
        movable := ARRAY['status', 'viewed_at', 'updated_at'];
    END IF;
    IF NOT allowed OR (to_jsonb(NEW) - movable) IS DISTINCT FROM (to_jsonb(OLD) - movable) THEN
        RAISE EXCEPTION 'a client cannot make this change to % %', TG_TABLE_NAME, OLD.number
            USING ERRCODE = '42501';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER quotes_portal_guard BEFORE UPDATE ON quotes
    FOR EACH ROW EXECUTE FUNCTION portal_transition_guard();
CREATE TRIGGER invoices_portal_guard BEFORE UPDATE ON invoices
    FOR EACH ROW EXECUTE FUNCTION portal_transition_guard();
