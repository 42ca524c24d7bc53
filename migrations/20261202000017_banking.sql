-- Banking (W2): one ledger per company of what its banks report, imported from ISO 20022
-- statements (camt.053/054) or synchronised from Revolut Business, and reconciled with invoices.
--
-- * bank_accounts gain where their movements come from (camt files or Revolut) and the bank's own
--   account id; their balance is kept from the ledger (a statement's closing balance or
--   Revolut's balance when the bank gives one, else the sum of what was booked).
-- * bank_transactions are keyed by the bank's own id per account, so that every import and every
--   webhook is idempotent.
-- * bank_allocations are the payments reconciliation made (through apply_payment); undoing one
--   books a reversal payment, so payments stay an append-only journal.
-- * bank_proposals are the candidates a person reviews; bank_imports the summary of each file.
-- * bank_connections hold a company's Revolut credentials, sealed by the application.
-- * webhook_events deduplicate what vendors deliver more than once.

SELECT set_config('app.role', 'system', true);

ALTER TABLE bank_accounts
    ADD COLUMN provider text NOT NULL DEFAULT 'camt' CHECK (provider IN ('camt', 'revolut')),
    ADD COLUMN external_id text CHECK (length(external_id) <= 100),
    ADD CONSTRAINT bank_accounts_external UNIQUE (company_id, external_id);

-- Payments are a journal: a reconciliation undone books the same amount back, negative, pointing
-- at the payment it reverses (once).
ALTER TABLE payments ADD COLUMN reversal_of uuid;
ALTER TABLE payments DROP CONSTRAINT payments_amount_minor_check;
ALTER TABLE payments ADD CONSTRAINT payments_amount_sign
    CHECK ((reversal_of IS NULL AND amount_minor > 0) OR (reversal_of IS NOT NULL AND amount_minor < 0));
ALTER TABLE payments ADD CONSTRAINT payments_reversal_fk FOREIGN KEY (reversal_of) REFERENCES payments (id);
CREATE UNIQUE INDEX payments_reversed_once ON payments (reversal_of) WHERE reversal_of IS NOT NULL;

-- An overpayment taken back with its payment.
ALTER TABLE party_credits DROP CONSTRAINT party_credits_kind_check;
ALTER TABLE party_credits ADD CONSTRAINT party_credits_kind_check
    CHECK (kind IN ('overpayment', 'applied', 'refund', 'reversed'));

CREATE TABLE bank_imports (
    id           uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id   uuid NOT NULL REFERENCES companies (id),
    account_id   uuid,
    source       text NOT NULL CHECK (source IN ('camt', 'revolut')),
    file_name    text NOT NULL DEFAULT '' CHECK (length(file_name) <= 255),
    message      text NOT NULL DEFAULT '' CHECK (length(message) <= 40),
    entries      integer NOT NULL DEFAULT 0,
    new_entries  integer NOT NULL DEFAULT 0,
    known        integer NOT NULL DEFAULT 0,
    matched      integer NOT NULL DEFAULT 0,
    to_review    integer NOT NULL DEFAULT 0,
    created_by   uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, account_id) REFERENCES bank_accounts (company_id, id)
);

CREATE TABLE bank_transactions (
    id                    uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id            uuid NOT NULL REFERENCES companies (id),
    account_id            uuid NOT NULL,
    bank_id               text NOT NULL CHECK (length(bank_id) BETWEEN 1 AND 200),
    source                text NOT NULL CHECK (source IN ('camt', 'revolut')),
    import_id             uuid,
    booked_on             date NOT NULL,
    value_on              date,
    -- Signed: positive money in, negative money out; in the account's currency.
    amount_minor          bigint NOT NULL CHECK (amount_minor <> 0 AND abs(amount_minor) <= 10000000000000),
    currency              char(3) NOT NULL,
    state                 text NOT NULL DEFAULT 'completed'
                          CHECK (state IN ('pending', 'completed', 'reverted', 'declined', 'failed')),
    reference_type        text NOT NULL DEFAULT 'NONE' CHECK (reference_type IN ('QRR', 'SCOR', 'OTHER', 'NONE')),
    reference             text NOT NULL DEFAULT '' CHECK (length(reference) <= 140),
    counterparty_name     text NOT NULL DEFAULT '' CHECK (length(counterparty_name) <= 140),
    counterparty_account  text NOT NULL DEFAULT '' CHECK (length(counterparty_account) <= 64),
    transaction_code      text NOT NULL DEFAULT '' CHECK (length(transaction_code) <= 40),
    details               text NOT NULL DEFAULT '' CHECK (length(details) <= 1000),
    -- What reconciliation made of it.
    match_status          text NOT NULL DEFAULT 'unmatched'
                          CHECK (match_status IN ('unmatched', 'proposed', 'matched', 'ignored')),
    ignored_reason        text CHECK (ignored_reason IN ('fee', 'own_transfer', 'salary', 'refund', 'other')),
    allocated_minor       bigint NOT NULL DEFAULT 0 CHECK (allocated_minor >= 0),
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id),
    UNIQUE (company_id, account_id, bank_id),
    FOREIGN KEY (company_id, account_id) REFERENCES bank_accounts (company_id, id),
    FOREIGN KEY (company_id, import_id) REFERENCES bank_imports (company_id, id),
    CHECK (allocated_minor <= abs(amount_minor)),
    CHECK ((match_status = 'ignored') = (ignored_reason IS NOT NULL))
);
-- The reconciliation screen's lists and keyset pages.
CREATE INDEX bank_transactions_review ON bank_transactions (company_id, match_status, booked_on DESC, id)
    WHERE match_status IN ('unmatched', 'proposed');
CREATE INDEX bank_transactions_booked ON bank_transactions (company_id, account_id, booked_on DESC, id);
CREATE INDEX bank_transactions_keyset ON bank_transactions (booked_on, id);

CREATE TABLE bank_allocations (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id      uuid NOT NULL REFERENCES companies (id),
    transaction_id  uuid NOT NULL,
    invoice_id      uuid NOT NULL,
    payment_id      uuid NOT NULL REFERENCES payments (id),
    -- What this allocation took from the transaction (in its currency), and what it paid on the
    -- invoice and left as the client's credit (in the invoice's).
    amount_minor    bigint NOT NULL CHECK (amount_minor > 0),
    applied_minor   bigint NOT NULL CHECK (applied_minor >= 0),
    credit_minor    bigint NOT NULL CHECK (credit_minor >= 0),
    method          text NOT NULL CHECK (method IN ('reference', 'score', 'manual')),
    score           smallint CHECK (score BETWEEN 0 AND 100),
    decided_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    undone_at       timestamptz,
    undone_by       uuid REFERENCES users (id),
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, transaction_id) REFERENCES bank_transactions (company_id, id),
    FOREIGN KEY (company_id, invoice_id) REFERENCES invoices (company_id, id)
);
CREATE INDEX bank_allocations_transaction ON bank_allocations (company_id, transaction_id);
CREATE INDEX bank_allocations_invoice ON bank_allocations (company_id, invoice_id);

CREATE TABLE bank_proposals (
    company_id      uuid NOT NULL REFERENCES companies (id),
    transaction_id  uuid NOT NULL,
    invoice_id      uuid NOT NULL,
    score           smallint NOT NULL CHECK (score BETWEEN 0 AND 100),
    reasons         text[] NOT NULL DEFAULT '{}',
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, transaction_id, invoice_id),
    FOREIGN KEY (company_id, transaction_id) REFERENCES bank_transactions (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, invoice_id) REFERENCES invoices (company_id, id)
);

CREATE TABLE bank_connections (
    company_id        uuid NOT NULL PRIMARY KEY REFERENCES companies (id),
    provider          text NOT NULL DEFAULT 'revolut' CHECK (provider = 'revolut'),
    api_url           text NOT NULL CHECK (api_url ~ '^https?://'),
    client_id         text NOT NULL CHECK (length(client_id) BETWEEN 1 AND 200),
    -- The domain of the redirect URI (the client assertion's issuer).
    issuer            text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
    -- Sealed by the application's secret box: never readable in the database alone.
    private_key       bytea NOT NULL,
    refresh_token     bytea,
    access_token      bytea,
    access_expires_at timestamptz,
    webhook_secret    bytea,
    last_synced_at    timestamptz,
    last_error        text,
    updated_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE webhook_events (
    company_id   uuid NOT NULL REFERENCES companies (id),
    provider     text NOT NULL CHECK (provider IN ('revolut')),
    event_key    text NOT NULL CHECK (length(event_key) BETWEEN 1 AND 300),
    received_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (company_id, provider, event_key)
);

-- Row-level security: the company's staff (internal roles) only; the identity machinery and
-- jobs as system. Clients see their payments through billing, never the bank ledger.
DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['bank_imports', 'bank_transactions', 'bank_allocations', 'bank_proposals', 'bank_connections', 'webhook_events'] LOOP
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
GRANT SELECT, INSERT, UPDATE ON bank_imports TO unified_app;
GRANT SELECT, INSERT, UPDATE ON bank_transactions TO unified_app;
GRANT SELECT, INSERT, UPDATE ON bank_allocations TO unified_app;
GRANT SELECT, INSERT, DELETE ON bank_proposals TO unified_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON bank_connections TO unified_app;
GRANT SELECT, INSERT ON webhook_events TO unified_app;

-- The account's balance follows its ledger: every completed movement adds to it (a statement's
-- closing balance or the bank's own figure then overwrites it, see the import).
CREATE FUNCTION bank_balance_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta bigint := 0;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.state = 'completed' THEN delta := NEW.amount_minor; END IF;
    ELSIF OLD.state IS DISTINCT FROM NEW.state OR OLD.amount_minor <> NEW.amount_minor THEN
        delta := (CASE WHEN NEW.state = 'completed' THEN NEW.amount_minor ELSE 0 END)
               - (CASE WHEN OLD.state = 'completed' THEN OLD.amount_minor ELSE 0 END);
    END IF;
    IF delta <> 0 THEN
        UPDATE bank_accounts SET balance_minor = balance_minor + delta,
               balance_on = greatest(balance_on, NEW.booked_on)
        WHERE company_id = NEW.company_id AND id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER bank_transactions_balance AFTER INSERT OR UPDATE OF state, amount_minor ON bank_transactions
    FOR EACH ROW EXECUTE FUNCTION bank_balance_follow();

-- Search: movements are found by their payer or payee, reference, account and text.
ALTER TABLE search_index DROP CONSTRAINT search_index_kind_check;
ALTER TABLE search_index ADD CONSTRAINT search_index_kind_check
    CHECK (kind IN ('invoice', 'quote', 'party', 'contact', 'lead', 'bank'));
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
            END);
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER search_bank_transactions_insert AFTER INSERT ON bank_transactions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_sync('bank');
CREATE TRIGGER search_bank_transactions_delete AFTER DELETE ON bank_transactions REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION search_sync('bank');
