-- CEO portal: the remembered company focus, the consolidated dashboard (exchange rates, bank
-- accounts, supplier bills, subscriptions, thresholds, summary tables kept by triggers), and the
-- indexes that keep lists fast at 100k+ rows (keyset sort orders and trigram search).

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- "Today" for business dates is the date in Switzerland, whatever the session's time zone.
CREATE FUNCTION app_today() RETURNS date LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT (now() AT TIME ZONE 'Europe/Zurich')::date $$;

-- The company a user focuses on (NULL: all of their companies), remembered across sessions.
ALTER TABLE users ADD COLUMN focus_company_id uuid REFERENCES companies (id);

-- Parties' bank accounts (suppliers are paid to them; incoming payments are matched by them).
ALTER TABLE parties ADD COLUMN iban text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}$');

-- Exchange rates into CHF: public reference data, one rate per currency and day.
CREATE TABLE exchange_rates (
    currency             char(3) NOT NULL CHECK (currency IN ('EUR', 'USD')),
    rate_date            date NOT NULL,
    -- CHF for one unit of the currency, in millionths (0.941234 → 941234): exact, never a float.
    chf_per_unit_micros  bigint NOT NULL CHECK (chf_per_unit_micros > 0),
    source               text NOT NULL DEFAULT 'manual',
    PRIMARY KEY (currency, rate_date)
);
ALTER TABLE exchange_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE exchange_rates FORCE ROW LEVEL SECURITY;
CREATE POLICY exchange_rates_read ON exchange_rates FOR SELECT USING (true);
CREATE POLICY exchange_rates_write ON exchange_rates FOR ALL
    USING (app_is_system() OR app_role() = 'ceo') WITH CHECK (app_is_system() OR app_role() = 'ceo');
GRANT SELECT, INSERT, UPDATE ON exchange_rates TO unified_app;

-- Dashboard thresholds per company (a missing row means the defaults in code).
CREATE TABLE kpi_thresholds (
    company_id              uuid NOT NULL PRIMARY KEY REFERENCES companies (id),
    overdue_warning_days    integer NOT NULL CHECK (overdue_warning_days BETWEEN 0 AND 365),
    overdue_critical_days   integer NOT NULL CHECK (overdue_critical_days BETWEEN 1 AND 730),
    quote_expiry_days       integer NOT NULL CHECK (quote_expiry_days BETWEEN 1 AND 90),
    project_idle_days       integer NOT NULL CHECK (project_idle_days BETWEEN 1 AND 365),
    lead_untouched_days     integer NOT NULL CHECK (lead_untouched_days BETWEEN 1 AND 90),
    runway_warning_months   integer NOT NULL CHECK (runway_warning_months BETWEEN 1 AND 60),
    runway_critical_months  integer NOT NULL CHECK (runway_critical_months BETWEEN 0 AND 60),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    CHECK (overdue_critical_days > overdue_warning_days),
    CHECK (runway_critical_months < runway_warning_months)
);
ALTER TABLE kpi_thresholds ENABLE ROW LEVEL SECURITY;
ALTER TABLE kpi_thresholds FORCE ROW LEVEL SECURITY;
CREATE POLICY kpi_thresholds_read ON kpi_thresholds FOR SELECT
    USING (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY kpi_thresholds_write ON kpi_thresholds FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY kpi_thresholds_system ON kpi_thresholds FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON kpi_thresholds TO unified_app;

-- Bank accounts of the owner companies (balances come from bank sync later; set by hand now).
CREATE TABLE bank_accounts (
    id             uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id     uuid NOT NULL REFERENCES companies (id),
    name           text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    iban           text NOT NULL CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}$'),
    currency       char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    balance_minor  bigint NOT NULL DEFAULT 0,
    balance_on     date NOT NULL DEFAULT current_date,
    UNIQUE (company_id, id),
    UNIQUE (company_id, iban)
);
ALTER TABLE bank_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE bank_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY bank_accounts_internal ON bank_accounts FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY bank_accounts_system ON bank_accounts FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON bank_accounts TO unified_app;

-- Supplier bills (the OCR intake builds on this): what the treasury forecast must pay out.
CREATE TABLE supplier_bills (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id    uuid NOT NULL REFERENCES companies (id),
    party_id      uuid NOT NULL,
    number        text NOT NULL CHECK (length(number) BETWEEN 1 AND 100),
    issue_date    date NOT NULL,
    due_date      date NOT NULL,
    currency      char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    total_minor   bigint NOT NULL CHECK (total_minor > 0),
    status        text NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'scheduled', 'paid', 'cancelled')),
    paid_on       date,
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id),
    UNIQUE (company_id, party_id, number),
    CHECK (due_date >= issue_date),
    CHECK ((status = 'paid') = (paid_on IS NOT NULL)),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id)
);
CREATE INDEX supplier_bills_open ON supplier_bills (company_id, due_date) INCLUDE (currency, total_minor)
    WHERE status IN ('received', 'scheduled');
CREATE INDEX supplier_bills_paid ON supplier_bills (company_id, paid_on) INCLUDE (currency, total_minor)
    WHERE status = 'paid';
ALTER TABLE supplier_bills ENABLE ROW LEVEL SECURITY;
ALTER TABLE supplier_bills FORCE ROW LEVEL SECURITY;
CREATE POLICY supplier_bills_tenant ON supplier_bills FOR SELECT USING (app_can_see(company_id, party_id));
CREATE POLICY supplier_bills_internal ON supplier_bills FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY supplier_bills_system ON supplier_bills FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON supplier_bills TO unified_app;

-- Recurring contracts (SaaS, maintenance, rentals): the source of MRR / ARR.
CREATE TABLE subscriptions (
    id                uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id        uuid NOT NULL REFERENCES companies (id),
    party_id          uuid NOT NULL,
    name              text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    amount_minor      bigint NOT NULL CHECK (amount_minor > 0),
    currency          char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    billing_interval  text NOT NULL CHECK (billing_interval IN ('month', 'quarter', 'year')),
    status            text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'cancelled')),
    started_on        date NOT NULL,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id)
);
CREATE INDEX subscriptions_active ON subscriptions (company_id) INCLUDE (amount_minor, currency, billing_interval)
    WHERE status = 'active';
ALTER TABLE subscriptions ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscriptions FORCE ROW LEVEL SECURITY;
CREATE POLICY subscriptions_tenant ON subscriptions FOR SELECT USING (app_can_see(company_id, party_id));
CREATE POLICY subscriptions_internal ON subscriptions FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY subscriptions_system ON subscriptions FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON subscriptions TO unified_app;

-- Projects remember their last activity (time entries, documents) for the idle alert.
ALTER TABLE projects ADD COLUMN last_activity_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX projects_idle ON projects (company_id, last_activity_at) WHERE status = 'active';

-- Marks which generated demo scales were loaded, so a second load is refused.
CREATE TABLE demo_loads (
    scale      text NOT NULL PRIMARY KEY,
    seed       bigint NOT NULL,
    loaded_at  timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE demo_loads ENABLE ROW LEVEL SECURITY;
ALTER TABLE demo_loads FORCE ROW LEVEL SECURITY;
CREATE POLICY demo_loads_system ON demo_loads FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT ON demo_loads TO unified_app;

-- Summary tables -------------------------------------------------------------------------------
-- Kept by statement-level triggers (one upsert per statement, not per row) so the dashboard
-- reads a few hundred rows instead of scanning every invoice. The app role can only read them;
-- the triggers write as the owner (SECURITY DEFINER), through an owner-only policy.

-- Per company, day and currency: invoiced (issued, net of VAT, less credit notes), paid (net of
-- invoices fully paid that day, by payment date), quotes issued and won (by issue date).
CREATE TABLE kpi_daily (
    company_id          uuid NOT NULL REFERENCES companies (id),
    day                 date NOT NULL,
    currency            char(3) NOT NULL,
    invoiced_net_minor  bigint NOT NULL DEFAULT 0,
    invoiced_count      integer NOT NULL DEFAULT 0,
    paid_net_minor      bigint NOT NULL DEFAULT 0,
    paid_count          integer NOT NULL DEFAULT 0,
    quotes_issued       integer NOT NULL DEFAULT 0,
    quotes_won          integer NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, day, currency)
);
ALTER TABLE kpi_daily ENABLE ROW LEVEL SECURITY;
ALTER TABLE kpi_daily FORCE ROW LEVEL SECURITY;
-- Only the owner (the triggers run as it) writes; the app role has no write grant at all.
CREATE POLICY kpi_daily_maintain ON kpi_daily FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY kpi_daily_read ON kpi_daily FOR SELECT
    USING (company_id = ANY (app_company_ids()) AND app_is_internal());
GRANT SELECT ON kpi_daily TO unified_app;

-- Leads per company, pipeline stage and currency.
CREATE TABLE lead_stage_totals (
    company_id   uuid NOT NULL REFERENCES companies (id),
    status       text NOT NULL,
    currency     char(3) NOT NULL,
    lead_count   integer NOT NULL DEFAULT 0,
    value_minor  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, status, currency)
);
ALTER TABLE lead_stage_totals ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_stage_totals FORCE ROW LEVEL SECURITY;
-- Only the owner (the triggers run as it) writes; the app role has no write grant at all.
CREATE POLICY lead_stage_totals_maintain ON lead_stage_totals FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY lead_stage_totals_read ON lead_stage_totals FOR SELECT
    USING (company_id = ANY (app_company_ids()) AND app_is_internal());
GRANT SELECT ON lead_stage_totals TO unified_app;

-- What one set of invoice rows contributes to kpi_daily, signed.
CREATE FUNCTION kpi_invoice_delta(sign integer, company_id uuid, issue_date date, paid_at timestamptz,
                                  status text, currency char(3), net_minor bigint)
RETURNS TABLE (company_id uuid, day date, currency char(3), invoiced bigint, invoiced_n integer, paid bigint, paid_n integer)
LANGUAGE sql IMMUTABLE AS $$
    SELECT $2, $3, $6, $7 * $1, $1, 0::bigint, 0 WHERE $5 NOT IN ('draft', 'cancelled')
    UNION ALL
    SELECT $2, ($4 AT TIME ZONE 'Europe/Zurich')::date, $6, 0::bigint, 0, $7 * $1, $1
    WHERE $5 = 'paid' AND $4 IS NOT NULL
$$;

CREATE FUNCTION kpi_invoices_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor, invoiced_count, paid_net_minor, paid_count)
        SELECT d.company_id, d.day, d.currency, sum(d.invoiced), sum(d.invoiced_n), sum(d.paid), sum(d.paid_n)
        FROM new_rows r, kpi_invoice_delta(1, r.company_id, r.issue_date, r.paid_at, r.status, r.currency, r.net_minor) d
        GROUP BY 1, 2, 3
        ON CONFLICT (company_id, day, currency) DO UPDATE SET
            invoiced_net_minor = k.invoiced_net_minor + EXCLUDED.invoiced_net_minor,
            invoiced_count = k.invoiced_count + EXCLUDED.invoiced_count,
            paid_net_minor = k.paid_net_minor + EXCLUDED.paid_net_minor,
            paid_count = k.paid_count + EXCLUDED.paid_count;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor, invoiced_count, paid_net_minor, paid_count)
        SELECT * FROM (
            SELECT d.company_id, d.day, d.currency, sum(d.invoiced) AS i, sum(d.invoiced_n) AS n,
                   sum(d.paid) AS p, sum(d.paid_n) AS pn
            FROM (
                SELECT x.* FROM new_rows r,
                    kpi_invoice_delta(1, r.company_id, r.issue_date, r.paid_at, r.status, r.currency, r.net_minor) x
                UNION ALL
                SELECT x.* FROM old_rows r,
                    kpi_invoice_delta(-1, r.company_id, r.issue_date, r.paid_at, r.status, r.currency, r.net_minor) x
            ) d
            GROUP BY 1, 2, 3
        ) s
        -- Most updates (viewed, sent reminders) change nothing here: do not touch the row.
        WHERE s.i <> 0 OR s.n <> 0 OR s.p <> 0 OR s.pn <> 0
        ON CONFLICT (company_id, day, currency) DO UPDATE SET
            invoiced_net_minor = k.invoiced_net_minor + EXCLUDED.invoiced_net_minor,
            invoiced_count = k.invoiced_count + EXCLUDED.invoiced_count,
            paid_net_minor = k.paid_net_minor + EXCLUDED.paid_net_minor,
            paid_count = k.paid_count + EXCLUDED.paid_count;
    ELSE
        INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor, invoiced_count, paid_net_minor, paid_count)
        SELECT d.company_id, d.day, d.currency, sum(d.invoiced), sum(d.invoiced_n), sum(d.paid), sum(d.paid_n)
        FROM old_rows r, kpi_invoice_delta(-1, r.company_id, r.issue_date, r.paid_at, r.status, r.currency, r.net_minor) d
        GROUP BY 1, 2, 3
        ON CONFLICT (company_id, day, currency) DO UPDATE SET
            invoiced_net_minor = k.invoiced_net_minor + EXCLUDED.invoiced_net_minor,
            invoiced_count = k.invoiced_count + EXCLUDED.invoiced_count,
            paid_net_minor = k.paid_net_minor + EXCLUDED.paid_net_minor,
            paid_count = k.paid_count + EXCLUDED.paid_count;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER kpi_invoices_insert AFTER INSERT ON invoices REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_invoices_sync();
CREATE TRIGGER kpi_invoices_update AFTER UPDATE ON invoices REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_invoices_sync();
CREATE TRIGGER kpi_invoices_delete AFTER DELETE ON invoices REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_invoices_sync();

-- A credit note lowers what was invoiced, on its own date.
CREATE FUNCTION kpi_credit_notes_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor)
    SELECT company_id, issue_date, currency, -sum(net_minor) FROM new_rows GROUP BY 1, 2, 3
    ON CONFLICT (company_id, day, currency) DO UPDATE SET
        invoiced_net_minor = k.invoiced_net_minor + EXCLUDED.invoiced_net_minor;
    RETURN NULL;
END
$$;
CREATE TRIGGER kpi_credit_notes_insert AFTER INSERT ON credit_notes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_credit_notes_sync();

CREATE FUNCTION kpi_quote_delta(sign integer, company_id uuid, issue_date date, status text, currency char(3))
RETURNS TABLE (company_id uuid, day date, currency char(3), issued integer, won integer)
LANGUAGE sql IMMUTABLE AS $$
    SELECT $2, $3, $5, $1, CASE WHEN $4 IN ('signed', 'awaiting_deposit', 'completed') THEN $1 ELSE 0 END
    WHERE $4 <> 'draft'
$$;

-- Transition tables exist only for the events that define them, hence one branch per event.
CREATE FUNCTION kpi_quotes_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO kpi_daily AS k (company_id, day, currency, quotes_issued, quotes_won)
        SELECT * FROM (
            SELECT d.company_id, d.day, d.currency, sum(d.issued)::integer AS i, sum(d.won)::integer AS w
            FROM (SELECT x.* FROM new_rows r, kpi_quote_delta(1, r.company_id, r.issue_date, r.status, r.currency) x) d
            GROUP BY 1, 2, 3
        ) s
        WHERE s.i <> 0 OR s.w <> 0
        ON CONFLICT (company_id, day, currency) DO UPDATE SET
            quotes_issued = k.quotes_issued + EXCLUDED.quotes_issued,
            quotes_won = k.quotes_won + EXCLUDED.quotes_won;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO kpi_daily AS k (company_id, day, currency, quotes_issued, quotes_won)
        SELECT * FROM (
            SELECT d.company_id, d.day, d.currency, sum(d.issued)::integer AS i, sum(d.won)::integer AS w
            FROM (SELECT x.* FROM new_rows r, kpi_quote_delta(1, r.company_id, r.issue_date, r.status, r.currency) x UNION ALL SELECT x.* FROM old_rows r, kpi_quote_delta(-1, r.company_id, r.issue_date, r.status, r.currency) x) d
            GROUP BY 1, 2, 3
        ) s
        WHERE s.i <> 0 OR s.w <> 0
        ON CONFLICT (company_id, day, currency) DO UPDATE SET
            quotes_issued = k.quotes_issued + EXCLUDED.quotes_issued,
            quotes_won = k.quotes_won + EXCLUDED.quotes_won;
    ELSE
        INSERT INTO kpi_daily AS k (company_id, day, currency, quotes_issued, quotes_won)
        SELECT * FROM (
            SELECT d.company_id, d.day, d.currency, sum(d.issued)::integer AS i, sum(d.won)::integer AS w
            FROM (SELECT x.* FROM old_rows r, kpi_quote_delta(-1, r.company_id, r.issue_date, r.status, r.currency) x) d
            GROUP BY 1, 2, 3
        ) s
        WHERE s.i <> 0 OR s.w <> 0
        ON CONFLICT (company_id, day, currency) DO UPDATE SET
            quotes_issued = k.quotes_issued + EXCLUDED.quotes_issued,
            quotes_won = k.quotes_won + EXCLUDED.quotes_won;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER kpi_quotes_insert AFTER INSERT ON quotes REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_quotes_sync();
CREATE TRIGGER kpi_quotes_update AFTER UPDATE ON quotes REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_quotes_sync();
CREATE TRIGGER kpi_quotes_delete AFTER DELETE ON quotes REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_quotes_sync();

CREATE FUNCTION kpi_leads_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO lead_stage_totals AS t (company_id, status, currency, lead_count, value_minor)
        SELECT * FROM (
            SELECT d.company_id, d.status, d.currency, sum(d.n)::integer AS n, sum(d.v)::bigint AS v
            FROM (SELECT company_id, status, currency, 1 AS n, estimated_value_minor AS v FROM new_rows) d
            GROUP BY 1, 2, 3
        ) s
        WHERE s.n <> 0 OR s.v <> 0
        ON CONFLICT (company_id, status, currency) DO UPDATE SET
            lead_count = t.lead_count + EXCLUDED.lead_count,
            value_minor = t.value_minor + EXCLUDED.value_minor;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO lead_stage_totals AS t (company_id, status, currency, lead_count, value_minor)
        SELECT * FROM (
            SELECT d.company_id, d.status, d.currency, sum(d.n)::integer AS n, sum(d.v)::bigint AS v
            FROM (SELECT company_id, status, currency, 1 AS n, estimated_value_minor AS v FROM new_rows UNION ALL SELECT company_id, status, currency, -1 AS n, -estimated_value_minor AS v FROM old_rows) d
            GROUP BY 1, 2, 3
        ) s
        WHERE s.n <> 0 OR s.v <> 0
        ON CONFLICT (company_id, status, currency) DO UPDATE SET
            lead_count = t.lead_count + EXCLUDED.lead_count,
            value_minor = t.value_minor + EXCLUDED.value_minor;
    ELSE
        INSERT INTO lead_stage_totals AS t (company_id, status, currency, lead_count, value_minor)
        SELECT * FROM (
            SELECT d.company_id, d.status, d.currency, sum(d.n)::integer AS n, sum(d.v)::bigint AS v
            FROM (SELECT company_id, status, currency, -1 AS n, -estimated_value_minor AS v FROM old_rows) d
            GROUP BY 1, 2, 3
        ) s
        WHERE s.n <> 0 OR s.v <> 0
        ON CONFLICT (company_id, status, currency) DO UPDATE SET
            lead_count = t.lead_count + EXCLUDED.lead_count,
            value_minor = t.value_minor + EXCLUDED.value_minor;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER kpi_leads_insert AFTER INSERT ON leads REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_leads_sync();
CREATE TRIGGER kpi_leads_update AFTER UPDATE ON leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_leads_sync();
CREATE TRIGGER kpi_leads_delete AFTER DELETE ON leads REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION kpi_leads_sync();

-- Summaries of rows that existed before this migration.
INSERT INTO kpi_daily (company_id, day, currency, invoiced_net_minor, invoiced_count, paid_net_minor, paid_count)
SELECT d.company_id, d.day, d.currency, sum(d.invoiced), sum(d.invoiced_n), sum(d.paid), sum(d.paid_n)
FROM invoices r, kpi_invoice_delta(1, r.company_id, r.issue_date, r.paid_at, r.status, r.currency, r.net_minor) d
GROUP BY 1, 2, 3;
INSERT INTO lead_stage_totals (company_id, status, currency, lead_count, value_minor)
SELECT company_id, status, currency, count(*), sum(estimated_value_minor) FROM leads GROUP BY 1, 2, 3;

-- Indexes for the lists: keyset sort orders (value, id), trigram search, client filters ---------
CREATE INDEX invoices_issue_keyset ON invoices (issue_date, id);
CREATE INDEX invoices_due_keyset ON invoices (due_date, id);
CREATE INDEX invoices_total_keyset ON invoices (total_minor, id);
CREATE INDEX invoices_number_keyset ON invoices (number, id);
CREATE INDEX invoices_party_id ON invoices (party_id);
CREATE INDEX invoices_search ON invoices USING gin ((number || ' ' || title) gin_trgm_ops);
-- Open invoices: receivables, aging and overdue alerts read only these.
CREATE INDEX invoices_open ON invoices (company_id, due_date) INCLUDE (currency, total_minor, paid_minor, credited_minor)
    WHERE status IN ('sent', 'viewed', 'partial', 'overdue');

CREATE INDEX quotes_issue_keyset ON quotes (issue_date, id);
CREATE INDEX quotes_valid_keyset ON quotes (valid_until, id);
CREATE INDEX quotes_total_keyset ON quotes (total_minor, id);
CREATE INDEX quotes_number_keyset ON quotes (number, id);
CREATE INDEX quotes_party_id ON quotes (party_id);
CREATE INDEX quotes_search ON quotes USING gin ((number || ' ' || title) gin_trgm_ops);

CREATE INDEX parties_name_keyset ON parties (name, id);
CREATE INDEX parties_town_keyset ON parties (town, id);
CREATE INDEX parties_created_keyset ON parties (created_at, id);
CREATE INDEX parties_trgm ON parties USING gin ((name || ' ' || coalesce(email, '') || ' ' || town) gin_trgm_ops);

CREATE INDEX contacts_name_keyset ON contacts (last_name, id);
CREATE INDEX contacts_created_keyset ON contacts (created_at, id);
CREATE INDEX contacts_trgm ON contacts USING gin ((first_name || ' ' || last_name || ' ' || coalesce(email, '')) gin_trgm_ops);

CREATE INDEX leads_updated_keyset ON leads (updated_at, id);
CREATE INDEX leads_value_keyset ON leads (estimated_value_minor, id);
CREATE INDEX leads_score_keyset ON leads (score, id);
CREATE INDEX leads_trgm ON leads USING gin ((title || ' ' || organisation || ' ' || contact_name) gin_trgm_ops);
CREATE INDEX leads_untouched ON leads (company_id, created_at) WHERE status = 'new' AND last_activity_at IS NULL;
INSERT INTO kpi_daily AS k (company_id, day, currency, quotes_issued, quotes_won)
SELECT d.company_id, d.day, d.currency, sum(d.issued), sum(d.won)
FROM quotes r, kpi_quote_delta(1, r.company_id, r.issue_date, r.status, r.currency) d
GROUP BY 1, 2, 3
ON CONFLICT (company_id, day, currency) DO UPDATE SET
    quotes_issued = k.quotes_issued + EXCLUDED.quotes_issued, quotes_won = k.quotes_won + EXCLUDED.quotes_won;
