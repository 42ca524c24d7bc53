-- Supplier bills (W3): from a file to a payment.
--
-- * stored_files: the document store's index — content addressed by SHA-256 per company, so the
--   same file uploaded twice is recognised, not stored twice.
-- * supplier_bills become a workflow: draft (read, to validate) → to_approve → approved →
--   scheduled (in a payment run) → paid; or rejected / cancelled. A draft may still lack its
--   supplier, number, dates and amount; from to_approve on they are required.
-- * bill_approvals record who approved (and whether with a fresh second factor).
-- * payment_runs and their items: one transfer per bill, its idempotency key derived from the
--   bill; Revolut transfers or a pain.001 file.
-- * Companies get their approval thresholds; suppliers' Revolut counterparties are remembered.

SELECT set_config('app.role', 'system', true);

CREATE TABLE stored_files (
    company_id   uuid NOT NULL REFERENCES companies (id),
    sha256       text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes   bigint NOT NULL CHECK (size_bytes > 0),
    mime         text NOT NULL CHECK (mime IN ('application/pdf', 'image/png', 'image/jpeg')),
    -- The party that uploaded it (a provider), so portal users read only their own files.
    party_id     uuid,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, sha256),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id)
);

ALTER TABLE supplier_bills DROP CONSTRAINT supplier_bills_status_check;
ALTER TABLE supplier_bills DROP CONSTRAINT supplier_bills_check1;
UPDATE supplier_bills SET status = 'approved' WHERE status = 'received';
ALTER TABLE supplier_bills
    ALTER COLUMN status SET DEFAULT 'draft',
    ALTER COLUMN party_id DROP NOT NULL,
    ALTER COLUMN number DROP NOT NULL,
    ALTER COLUMN issue_date DROP NOT NULL,
    ALTER COLUMN due_date DROP NOT NULL,
    ALTER COLUMN total_minor DROP NOT NULL,
    ADD COLUMN file_sha256 text,
    ADD COLUMN file_name text NOT NULL DEFAULT '' CHECK (length(file_name) <= 255),
    ADD COLUMN reading jsonb,
    -- The VAT included, per Swiss rate (input VAT is claimed per rate); vat_minor is their sum.
    ADD COLUMN vat_minor bigint CHECK (vat_minor >= 0),
    ADD COLUMN vat_standard_minor bigint CHECK (vat_standard_minor >= 0),
    ADD COLUMN vat_reduced_minor bigint CHECK (vat_reduced_minor >= 0),
    ADD COLUMN vat_accommodation_minor bigint CHECK (vat_accommodation_minor >= 0),
    ADD COLUMN iban text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}$'),
    ADD COLUMN reference_type text NOT NULL DEFAULT 'NON' CHECK (reference_type IN ('QRR', 'SCOR', 'NON')),
    ADD COLUMN reference text NOT NULL DEFAULT '' CHECK (length(reference) <= 35),
    ADD COLUMN message text NOT NULL DEFAULT '' CHECK (length(message) <= 140),
    ADD COLUMN cost_account text NOT NULL DEFAULT '' CHECK (length(cost_account) <= 40),
    ADD COLUMN project_id uuid,
    -- What the bill should say, from the order or accepted proposal it follows (the deviation
    -- check compares); and what the check found.
    ADD COLUMN expected_minor bigint CHECK (expected_minor > 0),
    ADD COLUMN expected_currency char(3),
    ADD COLUMN deviations text[] NOT NULL DEFAULT '{}',
    ADD COLUMN uploaded_by uuid REFERENCES users (id),
    ADD COLUMN validated_by uuid REFERENCES users (id),
    ADD COLUMN rejected_reason text CHECK (length(rejected_reason) <= 500),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT supplier_bills_status_check
        CHECK (status IN ('draft', 'to_approve', 'approved', 'scheduled', 'paid', 'rejected', 'cancelled')),
    ADD CONSTRAINT supplier_bills_paid_on CHECK ((status = 'paid') = (paid_on IS NOT NULL)),
    ADD CONSTRAINT supplier_bills_complete CHECK (status IN ('draft', 'rejected', 'cancelled')
        OR (party_id IS NOT NULL AND number IS NOT NULL AND issue_date IS NOT NULL AND due_date IS NOT NULL
            AND total_minor IS NOT NULL)),
    ADD CONSTRAINT supplier_bills_file FOREIGN KEY (company_id, file_sha256) REFERENCES stored_files (company_id, sha256),
    ADD CONSTRAINT supplier_bills_project FOREIGN KEY (company_id, project_id) REFERENCES projects (company_id, id);
-- The number is unique per supplier once validated. Drafts are exempt: the same bill received
-- twice is kept and shown as a duplicate, and validating it is refused on its number.
ALTER TABLE supplier_bills DROP CONSTRAINT supplier_bills_company_id_party_id_number_key;
CREATE UNIQUE INDEX supplier_bills_number ON supplier_bills (company_id, party_id, number)
    WHERE number IS NOT NULL AND status NOT IN ('draft', 'rejected', 'cancelled');
CREATE INDEX supplier_bills_status ON supplier_bills (company_id, status, due_date, id);
CREATE INDEX supplier_bills_keyset ON supplier_bills (due_date, id);
CREATE INDEX supplier_bills_created ON supplier_bills (created_at, id);
DROP INDEX supplier_bills_open;
CREATE INDEX supplier_bills_open ON supplier_bills (company_id, due_date) INCLUDE (currency, total_minor)
    WHERE status IN ('to_approve', 'approved', 'scheduled');
-- Providers upload their own bills (as drafts) and read them.
CREATE POLICY supplier_bills_portal_insert ON supplier_bills FOR INSERT
    WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[])
                AND party_id = ANY ((SELECT app_party_ids())::uuid[]) AND status = 'draft');
GRANT SELECT, INSERT, UPDATE ON supplier_bills TO unified_app;

ALTER TABLE stored_files ENABLE ROW LEVEL SECURITY;
ALTER TABLE stored_files FORCE ROW LEVEL SECURITY;
CREATE POLICY stored_files_internal ON stored_files
    USING (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()))
    WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()));
CREATE POLICY stored_files_portal ON stored_files
    USING (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND party_id = ANY ((SELECT app_party_ids())::uuid[]))
    WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND party_id = ANY ((SELECT app_party_ids())::uuid[]));
CREATE POLICY stored_files_system ON stored_files USING ((SELECT app_is_system())) WITH CHECK ((SELECT app_is_system()));
GRANT SELECT, INSERT ON stored_files TO unified_app;
-- A provider's upload queues the receipt email to their own party, and no other email.
CREATE POLICY email_outbox_bill_receipt ON email_outbox FOR INSERT
    WITH CHECK (kind = 'bill_received' AND company_id = ANY ((SELECT app_company_ids())::uuid[])
                AND party_id = ANY ((SELECT app_party_ids())::uuid[]));

-- Approval thresholds (CHF minor units): above the first the CEO must approve (below, staff
-- holding the approval permission may); above the second the CEO's approval needs a fresh code.
ALTER TABLE companies
    ADD COLUMN bill_ceo_above_minor bigint NOT NULL DEFAULT 500000 CHECK (bill_ceo_above_minor >= 0),
    ADD COLUMN bill_second_factor_above_minor bigint NOT NULL DEFAULT 2000000 CHECK (bill_second_factor_above_minor >= 0);

CREATE TABLE bill_approvals (
    company_id      uuid NOT NULL REFERENCES companies (id),
    bill_id         uuid NOT NULL,
    user_id         uuid NOT NULL REFERENCES users (id),
    role            text NOT NULL CHECK (role IN ('ceo', 'staff')),
    -- Who, as named then (staff may not read the CEO's user row).
    approver_name   text NOT NULL CHECK (length(approver_name) <= 200),
    second_factor   boolean NOT NULL DEFAULT false,
    at              timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, bill_id, user_id),
    FOREIGN KEY (company_id, bill_id) REFERENCES supplier_bills (company_id, id)
);

CREATE TABLE payment_runs (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id    uuid NOT NULL REFERENCES companies (id),
    due_until     date NOT NULL,
    status        text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'confirmed', 'done', 'failed')),
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    confirmed_by  uuid REFERENCES users (id),
    confirmed_at  timestamptz,
    UNIQUE (company_id, id)
);

CREATE TABLE payment_run_items (
    company_id      uuid NOT NULL REFERENCES companies (id),
    run_id          uuid NOT NULL,
    bill_id         uuid NOT NULL,
    account_id      uuid NOT NULL,
    method          text NOT NULL CHECK (method IN ('revolut', 'pain001')),
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    currency        char(3) NOT NULL,
    -- The transfer's idempotency key: the same bill is never paid twice, however often retried.
    request_id      text NOT NULL CHECK (length(request_id) BETWEEN 1 AND 40),
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed')),
    transfer_id     text,
    error           text CHECK (length(error) <= 300),
    PRIMARY KEY (company_id, run_id, bill_id),
    UNIQUE (company_id, request_id),
    FOREIGN KEY (company_id, run_id) REFERENCES payment_runs (company_id, id),
    FOREIGN KEY (company_id, bill_id) REFERENCES supplier_bills (company_id, id),
    FOREIGN KEY (company_id, account_id) REFERENCES bank_accounts (company_id, id)
);
-- A bill is in at most one run that is not failed.
CREATE UNIQUE INDEX payment_run_items_bill ON payment_run_items (company_id, bill_id) WHERE state <> 'failed';

CREATE TABLE supplier_counterparties (
    company_id        uuid NOT NULL REFERENCES companies (id),
    party_id          uuid NOT NULL,
    iban              text NOT NULL,
    revolut_id        text NOT NULL,
    revolut_account   text,
    created_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, party_id, iban),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id)
);

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['bill_approvals', 'payment_runs', 'payment_run_items', 'supplier_counterparties'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format($p$CREATE POLICY %I ON %I
            USING (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()))
            WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()))$p$,
            t || '_internal', t);
        EXECUTE format('CREATE POLICY %I ON %I USING ((SELECT app_is_system())) WITH CHECK ((SELECT app_is_system()))',
            t || '_system', t);
    END LOOP;
END $$;
-- UPDATE: approving again after an edit refreshes the approver's row.
GRANT SELECT, INSERT, UPDATE ON bill_approvals TO unified_app;
GRANT SELECT, INSERT, UPDATE ON payment_runs TO unified_app;
GRANT SELECT, INSERT, UPDATE ON payment_run_items TO unified_app;
GRANT SELECT, INSERT ON supplier_counterparties TO unified_app;

-- Bank debits are matched to the bills they pay (the same engine as incoming money).
ALTER TABLE bank_allocations ALTER COLUMN invoice_id DROP NOT NULL;
ALTER TABLE bank_allocations ALTER COLUMN payment_id DROP NOT NULL;
ALTER TABLE bank_allocations ADD COLUMN bill_id uuid;
ALTER TABLE bank_allocations ADD CONSTRAINT bank_allocations_bill FOREIGN KEY (company_id, bill_id) REFERENCES supplier_bills (company_id, id);
ALTER TABLE bank_allocations ADD CONSTRAINT bank_allocations_target
    CHECK ((invoice_id IS NOT NULL AND payment_id IS NOT NULL AND bill_id IS NULL)
        OR (bill_id IS NOT NULL AND invoice_id IS NULL AND payment_id IS NULL));
-- A bill is paid by one debit: two matching runs at once cannot both take it.
CREATE UNIQUE INDEX bank_allocations_bill ON bank_allocations (company_id, bill_id)
    WHERE bill_id IS NOT NULL AND undone_at IS NULL;

-- Search: bills by their number, file name and reference (and their supplier's name, through
-- the party index).
ALTER TABLE search_index DROP CONSTRAINT search_index_kind_check;
ALTER TABLE search_index ADD CONSTRAINT search_index_kind_check
    CHECK (kind IN ('invoice', 'quote', 'party', 'contact', 'lead', 'bank', 'bill'));
CREATE OR REPLACE FUNCTION search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
DECLARE
    k text := TG_ARGV[0];
BEGIN
    IF TG_OP = 'DELETE' THEN
        DELETE FROM search_index s USING old_rows o WHERE s.kind = k AND s.id = o.id;
    ELSE
        -- Most updates (status, payments) leave the text alone: then nothing is written.
        EXECUTE format($q$
            INSERT INTO search_index AS s (kind, id, company_id, party_id, body)
            SELECT %L, n.id, n.company_id, %s, %s FROM new_rows n
            ON CONFLICT (kind, id) DO UPDATE SET company_id = EXCLUDED.company_id,
                party_id = EXCLUDED.party_id, body = EXCLUDED.body
            WHERE (s.company_id, s.party_id, s.body) IS DISTINCT FROM
                  (EXCLUDED.company_id, EXCLUDED.party_id, EXCLUDED.body)$q$,
            k,
            CASE k WHEN 'party' THEN 'n.id' WHEN 'lead' THEN 'n.reseller_party_id' WHEN 'bank' THEN 'NULL::uuid'
                   ELSE 'n.party_id' END,
            CASE k
                WHEN 'invoice' THEN $e$coalesce(n.number, '') || ' ' || n.title$e$
                WHEN 'quote' THEN $e$n.number || ' ' || n.title$e$
                WHEN 'party' THEN $e$n.name || ' ' || coalesce(n.email, '') || ' ' || n.town$e$
                WHEN 'contact' THEN $e$n.first_name || ' ' || n.last_name || ' ' || coalesce(n.email, '')$e$
                WHEN 'lead' THEN $e$n.title || ' ' || n.organisation || ' ' || n.contact_name$e$
                WHEN 'bank' THEN $e$n.counterparty_name || ' ' || n.reference || ' ' || n.counterparty_account || ' ' || left(n.details, 300)$e$
                WHEN 'bill' THEN $e$coalesce(n.number, '') || ' ' || n.file_name || ' ' || n.reference$e$
            END);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_supplier_bills_insert AFTER INSERT ON supplier_bills REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_sync('bill');
CREATE TRIGGER search_supplier_bills_update AFTER UPDATE ON supplier_bills
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_sync('bill');
CREATE TRIGGER search_supplier_bills_delete AFTER DELETE ON supplier_bills REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_sync('bill');
INSERT INTO search_index (kind, id, company_id, party_id, body)
SELECT 'bill', id, company_id, party_id, coalesce(number, '') || ' ' || file_name || ' ' || reference FROM supplier_bills;

-- The end-to-end id a payment carried (a payment run's request id comes back with its debit).
ALTER TABLE bank_transactions ADD COLUMN end_to_end_id text CHECK (length(end_to_end_id) <= 35);
CREATE INDEX bank_transactions_end_to_end ON bank_transactions (company_id, end_to_end_id) WHERE end_to_end_id IS NOT NULL;
CREATE INDEX payment_run_items_transfer ON payment_run_items (company_id, transfer_id) WHERE transfer_id IS NOT NULL;
