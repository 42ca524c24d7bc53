-- Open receivables per company, currency and due date, kept by triggers.
--
-- The dashboard's receivables, aging buckets, due-in-horizon sums and overdue counts used to
-- aggregate every open invoice on each load (15,000 at the large demo scale, ~15 ms). Per due
-- date there are a few thousand rows at most whatever the number of invoices, and the figures are
-- sums over due-date ranges, so they read this instead.

SELECT set_config('app.role', 'system', true);

CREATE TABLE receivable_days (
    company_id     uuid NOT NULL REFERENCES companies (id),
    due_date       date NOT NULL,
    currency       char(3) NOT NULL,
    open_count     integer NOT NULL DEFAULT 0,
    -- Sum of total − paid − credited of the open invoices due that day.
    balance_minor  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, due_date, currency)
);
ALTER TABLE receivable_days ENABLE ROW LEVEL SECURITY;
ALTER TABLE receivable_days FORCE ROW LEVEL SECURITY;
-- Only the owner (the triggers run as it) writes; the app role reads its companies' rows.
CREATE POLICY receivable_days_maintain ON receivable_days FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY receivable_days_read ON receivable_days FOR SELECT
    USING (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()));
GRANT SELECT ON receivable_days TO unified_app;

-- What one invoice row contributes, signed: nothing unless it is open.
CREATE FUNCTION receivable_delta(sign integer, status text, company_id uuid, due_date date, currency char(3),
                                 total bigint, paid bigint, credited bigint)
RETURNS TABLE (company_id uuid, due_date date, currency char(3), n integer, balance bigint)
LANGUAGE sql IMMUTABLE AS $$
    SELECT $3, $4, $5, $1, (($6 - $7 - $8) * $1)::bigint
    WHERE $2 IN ('sent', 'viewed', 'partial', 'overdue')
$$;

-- Transition tables exist only for the events that define them, hence one branch per event.
CREATE FUNCTION receivables_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO receivable_days AS r (company_id, due_date, currency, open_count, balance_minor)
        SELECT d.company_id, d.due_date, d.currency, sum(d.n), sum(d.balance)
        FROM new_rows x, receivable_delta(1, x.status, x.company_id, x.due_date, x.currency,
                                          x.total_minor, x.paid_minor, x.credited_minor) d
        GROUP BY 1, 2, 3
        ON CONFLICT (company_id, due_date, currency) DO UPDATE SET
            open_count = r.open_count + EXCLUDED.open_count,
            balance_minor = r.balance_minor + EXCLUDED.balance_minor;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO receivable_days AS r (company_id, due_date, currency, open_count, balance_minor)
        SELECT * FROM (
            SELECT d.company_id, d.due_date, d.currency, sum(d.n) AS n, sum(d.balance) AS b
            FROM (
                SELECT y.* FROM new_rows x, receivable_delta(1, x.status, x.company_id, x.due_date, x.currency,
                                                             x.total_minor, x.paid_minor, x.credited_minor) y
                UNION ALL
                SELECT y.* FROM old_rows x, receivable_delta(-1, x.status, x.company_id, x.due_date, x.currency,
                                                              x.total_minor, x.paid_minor, x.credited_minor) y
            ) d
            GROUP BY 1, 2, 3
        ) s
        -- Most updates (viewed, reminders) change nothing here: do not touch the row.
        WHERE s.n <> 0 OR s.b <> 0
        ON CONFLICT (company_id, due_date, currency) DO UPDATE SET
            open_count = r.open_count + EXCLUDED.open_count,
            balance_minor = r.balance_minor + EXCLUDED.balance_minor;
    ELSE
        INSERT INTO receivable_days AS r (company_id, due_date, currency, open_count, balance_minor)
        SELECT d.company_id, d.due_date, d.currency, sum(d.n), sum(d.balance)
        FROM old_rows x, receivable_delta(-1, x.status, x.company_id, x.due_date, x.currency,
                                          x.total_minor, x.paid_minor, x.credited_minor) d
        GROUP BY 1, 2, 3
        ON CONFLICT (company_id, due_date, currency) DO UPDATE SET
            open_count = r.open_count + EXCLUDED.open_count,
            balance_minor = r.balance_minor + EXCLUDED.balance_minor;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER receivables_insert AFTER INSERT ON invoices REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION receivables_sync();
CREATE TRIGGER receivables_update AFTER UPDATE ON invoices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION receivables_sync();
CREATE TRIGGER receivables_delete AFTER DELETE ON invoices REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION receivables_sync();

-- Invoices that existed before this migration.
INSERT INTO receivable_days (company_id, due_date, currency, open_count, balance_minor)
SELECT d.company_id, d.due_date, d.currency, sum(d.n), sum(d.balance)
FROM invoices x, receivable_delta(1, x.status, x.company_id, x.due_date, x.currency,
                                  x.total_minor, x.paid_minor, x.credited_minor) d
GROUP BY 1, 2, 3;

-- Untouched new leads are counted from the index alone (the policy's columns are in it).
DROP INDEX leads_untouched;
CREATE INDEX leads_untouched ON leads (company_id, created_at) INCLUDE (reseller_party_id)
    WHERE status = 'new' AND last_activity_at IS NULL;
