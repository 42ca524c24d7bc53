-- Billing documents a Swiss accountant signs off, and the company settings they print.
--
-- * Company settings: VAT rounding policy, number formats, document language, email sender, logo.
-- * Bank accounts per currency: an invoice points to the company's account in its currency
--   (QR-IBAN and QR reference where the account has one, else IBAN and creditor reference), and
--   keeps the account it was issued with. The company's single iban / qr_iban move there.
-- * Drafts carry no number: numbers (and the payment reference derived from them) are given when
--   the invoice is issued; drafts can be edited and deleted, issued documents never.
-- * Credit notes record net and VAT per rate; cancelled and paid invoices have nothing open.
-- * Overpayments become a credit on the client's account (party_credits), used or refunded later.
-- * Amounts are bounded in the database too (CHF 100 billion a document; quantities 1 million).

SELECT set_config('app.role', 'system', true);

-- Search: a draft has no number yet (its text is its title); a lead belongs to the reseller who
-- brought it, so a reseller's search finds its own leads (portal roles only see their party's).
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
            CASE k WHEN 'party' THEN 'n.id' WHEN 'lead' THEN 'n.reseller_party_id' ELSE 'n.party_id' END,
            CASE k
                WHEN 'invoice' THEN $e$coalesce(n.number, '') || ' ' || n.title$e$
                WHEN 'quote' THEN $e$n.number || ' ' || n.title$e$
                WHEN 'party' THEN $e$n.name || ' ' || coalesce(n.email, '') || ' ' || n.town$e$
                WHEN 'contact' THEN $e$n.first_name || ' ' || n.last_name || ' ' || coalesce(n.email, '')$e$
                WHEN 'lead' THEN $e$n.title || ' ' || n.organisation || ' ' || n.contact_name$e$
            END);
    END IF;
    RETURN NULL;
END
$$;
UPDATE search_index s SET party_id = l.reseller_party_id
    FROM leads l WHERE s.kind = 'lead' AND s.id = l.id AND l.reseller_party_id IS NOT NULL;

-- Company settings -----------------------------------------------------------------------------
ALTER TABLE companies
    ADD COLUMN vat_rounding text NOT NULL DEFAULT 'per_line' CHECK (vat_rounding IN ('per_line', 'per_rate')),
    ADD COLUMN quote_number_format text NOT NULL DEFAULT 'Q-{YYYY}-{NNNN}' CHECK (length(quote_number_format) BETWEEN 1 AND 40),
    ADD COLUMN invoice_number_format text NOT NULL DEFAULT 'INV-{YYYY}-{NNNN}' CHECK (length(invoice_number_format) BETWEEN 1 AND 40),
    ADD COLUMN credit_note_number_format text NOT NULL DEFAULT 'CN-{YYYY}-{NNNN}' CHECK (length(credit_note_number_format) BETWEEN 1 AND 40),
    ADD COLUMN document_language text NOT NULL DEFAULT 'fr' CHECK (document_language IN ('fr', 'de', 'en')),
    ADD COLUMN sender_name text NOT NULL DEFAULT '' CHECK (length(sender_name) <= 100),
    ADD COLUMN reply_to text NOT NULL DEFAULT '' CHECK (length(reply_to) <= 200),
    ADD COLUMN logo bytea CHECK (octet_length(logo) <= 524288),
    ADD COLUMN logo_type text CHECK (logo_type IN ('image/png', 'image/jpeg')),
    ADD CONSTRAINT companies_logo_typed CHECK ((logo IS NULL) = (logo_type IS NULL));

-- Bank accounts per currency -------------------------------------------------------------------
ALTER TABLE bank_accounts
    ADD COLUMN qr_iban text CHECK (qr_iban ~ '^(CH|LI)[0-9]{2}3[01][0-9]{3}[0-9A-Z]{12}$'),
    -- The account invoices in its currency point to (one per company and currency).
    ADD COLUMN receives_invoices boolean NOT NULL DEFAULT false,
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
CREATE UNIQUE INDEX bank_accounts_invoicing ON bank_accounts (company_id, currency) WHERE receives_invoices;
-- An account can carry a QR-IBAN only in the currencies of the QR-bill.
ALTER TABLE bank_accounts ADD CONSTRAINT bank_accounts_qr_currency
    CHECK (qr_iban IS NULL OR currency IN ('CHF', 'EUR'));

-- The company's account becomes its invoicing account in its own currency.
UPDATE bank_accounts b SET qr_iban = c.qr_iban, receives_invoices = true
    FROM companies c
    WHERE b.company_id = c.id AND b.iban = c.iban AND b.currency = c.currency;
INSERT INTO bank_accounts (company_id, name, iban, qr_iban, currency, receives_invoices)
SELECT c.id, c.name || ' ' || c.currency, c.iban, c.qr_iban, c.currency, true
FROM companies c
WHERE c.iban IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM bank_accounts b WHERE b.company_id = c.id AND b.iban = c.iban);

-- Invoices keep the account and the rounding policy they were issued with.
ALTER TABLE invoices
    ADD COLUMN account_iban text,
    ADD COLUMN vat_rounding text NOT NULL DEFAULT 'per_line' CHECK (vat_rounding IN ('per_line', 'per_rate'));
ALTER TABLE quotes
    ADD COLUMN vat_rounding text NOT NULL DEFAULT 'per_line' CHECK (vat_rounding IN ('per_line', 'per_rate'));
ALTER TABLE invoices DISABLE TRIGGER invoices_locked;
ALTER TABLE invoices DISABLE TRIGGER invoices_portal_guard;
UPDATE invoices i SET account_iban = CASE WHEN i.reference_type = 'QRR' THEN c.qr_iban ELSE c.iban END
    FROM companies c WHERE c.id = i.company_id AND i.status <> 'draft';
ALTER TABLE companies DROP COLUMN iban, DROP COLUMN qr_iban;

-- Drafts carry no number ---------------------------------------------------------------------------
ALTER TABLE invoices ALTER COLUMN number DROP NOT NULL;
ALTER TABLE invoices ADD CONSTRAINT invoices_issued_numbered CHECK (status = 'draft' OR number IS NOT NULL);
UPDATE invoices SET number = NULL, reference = '', reference_type = 'NON' WHERE status = 'draft';
-- Give the unused numbers of drafts back where they were the last of their year.
UPDATE document_sequences s SET last_value = COALESCE((
        SELECT max(substring(i.number FROM '([0-9]+)$')::integer) FROM invoices i
        WHERE i.company_id = s.company_id AND i.number LIKE 'INV-' || s.year || '-%'), 0)
    WHERE s.kind = 'invoice';

-- Cancelled invoices have nothing open: the demo rows that said otherwise get the credit note
-- that cancels them (numbered after the invoice, reason stated).
INSERT INTO credit_notes (company_id, number, invoice_id, party_id, currency, net_minor, vat_minor, total_minor, reason, issue_date)
SELECT company_id, 'CN-' || number, id, party_id, currency,
       total_minor - paid_minor - credited_minor - vat_minor * (total_minor - paid_minor - credited_minor) / GREATEST(total_minor, 1),
       vat_minor * (total_minor - paid_minor - credited_minor) / GREATEST(total_minor, 1),
       total_minor - paid_minor - credited_minor, 'Cancellation', issue_date
FROM invoices WHERE status = 'cancelled' AND total_minor - paid_minor - credited_minor > 0;
UPDATE invoices SET credited_minor = total_minor - paid_minor
    WHERE status = 'cancelled' AND total_minor - paid_minor - credited_minor > 0;
ALTER TABLE invoices ENABLE TRIGGER invoices_locked;
ALTER TABLE invoices ENABLE TRIGGER invoices_portal_guard;
ALTER TABLE invoices
    ADD CONSTRAINT invoices_cancelled_settled CHECK (status <> 'cancelled' OR paid_minor + credited_minor = total_minor),
    ADD CONSTRAINT invoices_paid_settled CHECK (status <> 'paid' OR paid_minor + credited_minor = total_minor),
    ADD CONSTRAINT invoices_amounts_bounded CHECK (abs(total_minor) <= 10000000000000 AND abs(net_minor) <= 10000000000000
                                                  AND abs(vat_minor) <= 10000000000000);
ALTER TABLE quotes
    ADD CONSTRAINT quotes_amounts_bounded CHECK (abs(total_minor) <= 10000000000000 AND abs(net_minor) <= 10000000000000
                                                AND abs(vat_minor) <= 10000000000000);
ALTER TABLE invoice_lines
    ADD CONSTRAINT invoice_lines_bounded CHECK (abs(quantity_milli) <= 1000000000 AND abs(unit_price_minor) <= 10000000000000
                                               AND abs(net_minor) <= 10000000000000);
ALTER TABLE quote_lines
    ADD CONSTRAINT quote_lines_bounded CHECK (abs(quantity_milli) <= 1000000000 AND abs(unit_price_minor) <= 10000000000000
                                             AND abs(net_minor) <= 10000000000000);
ALTER TABLE products
    ADD CONSTRAINT products_price_bounded CHECK (unit_price_minor <= 10000000000000);

-- Issued documents never change; drafts may be deleted.
CREATE OR REPLACE FUNCTION invoice_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locked boolean;
BEGIN
    IF TG_TABLE_NAME = 'invoices' THEN
        IF TG_OP = 'DELETE' THEN
            IF OLD.status <> 'draft' THEN
                RAISE EXCEPTION 'invoice % is issued and cannot be deleted; issue a credit note', OLD.number USING ERRCODE = 'P0001';
            END IF;
            RETURN OLD;
        END IF;
        IF OLD.status <> 'draft' AND (
            NEW.net_minor <> OLD.net_minor OR NEW.vat_minor <> OLD.vat_minor OR NEW.total_minor <> OLD.total_minor
            OR NEW.rounding_minor <> OLD.rounding_minor OR NEW.party_id <> OLD.party_id OR NEW.currency <> OLD.currency
            OR NEW.issue_date <> OLD.issue_date OR NEW.due_date <> OLD.due_date OR NEW.number IS DISTINCT FROM OLD.number
            OR NEW.reference <> OLD.reference OR NEW.kind <> OLD.kind OR NEW.account_iban IS DISTINCT FROM OLD.account_iban
            OR NEW.vat_rounding <> OLD.vat_rounding OR NEW.contact_id IS DISTINCT FROM OLD.contact_id
            OR NEW.title <> OLD.title) THEN
            RAISE EXCEPTION 'invoice % is issued and cannot change; issue a credit note', OLD.number USING ERRCODE = 'P0001';
        END IF;
        IF OLD.status <> 'draft' AND NEW.status = 'draft' THEN
            RAISE EXCEPTION 'invoice % is issued and cannot become a draft again', OLD.number USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
    END IF;
    SELECT i.status <> 'draft' INTO locked
    FROM invoices i WHERE i.company_id = COALESCE(NEW.company_id, OLD.company_id) AND i.id = COALESCE(NEW.invoice_id, OLD.invoice_id);
    IF locked THEN
        RAISE EXCEPTION 'the lines of an issued invoice cannot change; issue a credit note' USING ERRCODE = 'P0001';
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$;
CREATE TRIGGER invoices_locked_delete BEFORE DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoice_locked();
GRANT DELETE ON invoices TO unified_app;

-- Credit notes per VAT rate ----------------------------------------------------------------------
ALTER TABLE credit_notes ADD COLUMN rounding_minor bigint NOT NULL DEFAULT 0, ADD UNIQUE (company_id, id);
CREATE TABLE credit_note_rates (
    company_id      uuid NOT NULL,
    credit_note_id  uuid NOT NULL,
    vat_code        text NOT NULL CHECK (vat_code IN ('standard', 'reduced', 'accommodation', 'exempt')),
    rate_bp         integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    net_minor       bigint NOT NULL,
    vat_minor       bigint NOT NULL,
    PRIMARY KEY (company_id, credit_note_id, vat_code, rate_bp),
    FOREIGN KEY (company_id, credit_note_id) REFERENCES credit_notes (company_id, id) ON DELETE CASCADE
);
ALTER TABLE credit_note_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_note_rates FORCE ROW LEVEL SECURITY;
CREATE POLICY credit_note_rates_tenant ON credit_note_rates FOR SELECT
    USING (EXISTS (SELECT 1 FROM credit_notes n WHERE n.company_id = credit_note_rates.company_id AND n.id = credit_note_rates.credit_note_id));
CREATE POLICY credit_note_rates_internal ON credit_note_rates FOR INSERT
    WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()));
CREATE POLICY credit_note_rates_system ON credit_note_rates FOR ALL USING ((SELECT app_is_system())) WITH CHECK ((SELECT app_is_system()));
GRANT SELECT, INSERT ON credit_note_rates TO unified_app;
-- Credit notes issued before: their VAT at the rate of their invoice's largest line.
INSERT INTO credit_note_rates (company_id, credit_note_id, vat_code, rate_bp, net_minor, vat_minor)
SELECT n.company_id, n.id, l.vat_code, l.vat_rate_bp, n.net_minor, n.vat_minor
FROM credit_notes n
JOIN LATERAL (SELECT vat_code, vat_rate_bp FROM invoice_lines x
              WHERE x.company_id = n.company_id AND x.invoice_id = n.invoice_id
              ORDER BY abs(x.net_minor) DESC LIMIT 1) l ON true;

-- Credits on a client's account (overpayments), used on a later invoice or refunded ---------------
CREATE TABLE party_credits (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id    uuid NOT NULL REFERENCES companies (id),
    party_id      uuid NOT NULL,
    currency      char(3) NOT NULL CHECK (currency IN ('CHF', 'EUR', 'USD')),
    -- Positive: credit received (overpayment); negative: credit used on an invoice or refunded.
    amount_minor  bigint NOT NULL CHECK (amount_minor <> 0 AND abs(amount_minor) <= 10000000000000),
    kind          text NOT NULL CHECK (kind IN ('overpayment', 'applied', 'refund')),
    invoice_id    uuid,
    booked_on     date NOT NULL DEFAULT app_today(),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'overpayment') = (amount_minor > 0)),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id),
    FOREIGN KEY (company_id, invoice_id) REFERENCES invoices (company_id, id)
);
CREATE INDEX party_credits_party ON party_credits (company_id, party_id, currency);
ALTER TABLE party_credits ENABLE ROW LEVEL SECURITY;
ALTER TABLE party_credits FORCE ROW LEVEL SECURITY;
CREATE POLICY party_credits_tenant ON party_credits FOR SELECT
    USING (company_id = ANY ((SELECT app_company_ids())::uuid[])
           AND ((SELECT app_is_internal()) OR party_id = ANY ((SELECT app_party_ids())::uuid[])));
CREATE POLICY party_credits_internal ON party_credits FOR INSERT
    WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()));
CREATE POLICY party_credits_system ON party_credits FOR ALL USING ((SELECT app_is_system())) WITH CHECK ((SELECT app_is_system()));
GRANT SELECT, INSERT ON party_credits TO unified_app;
-- A balance never goes below zero: checked at the end of the transaction that writes it.
CREATE FUNCTION party_credit_not_negative() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT sum(amount_minor) FROM party_credits
        WHERE company_id = NEW.company_id AND party_id = NEW.party_id AND currency = NEW.currency) < 0 THEN
        RAISE EXCEPTION 'the credit of this party is smaller than the amount used' USING ERRCODE = '23514';
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER party_credits_balance AFTER INSERT ON party_credits
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION party_credit_not_negative();

ALTER TABLE payments DROP CONSTRAINT payments_method_check;
ALTER TABLE payments ADD CONSTRAINT payments_method_check CHECK (method IN ('bank_transfer', 'cash', 'card', 'credit', 'other'));

-- Invoiced revenue: every issued invoice on its date, less credit notes on theirs. A cancelled
-- invoice is cancelled by its credit note; excluding it as well counted the cancellation twice.
CREATE OR REPLACE FUNCTION kpi_invoice_delta(sign integer, company_id uuid, issue_date date, paid_at timestamptz,
                                             status text, currency char(3), net_minor bigint)
RETURNS TABLE (company_id uuid, day date, currency char(3), invoiced bigint, invoiced_n integer, paid bigint, paid_n integer)
LANGUAGE sql IMMUTABLE AS $$
    SELECT $2, $3, $6, $7 * $1, $1, 0::bigint, 0 WHERE $5 <> 'draft'
    UNION ALL
    SELECT $2, ($4 AT TIME ZONE 'Europe/Zurich')::date, $6, 0::bigint, 0, $7 * $1, $1
    WHERE $5 = 'paid' AND $4 IS NOT NULL
$$;
UPDATE kpi_daily SET invoiced_net_minor = 0, invoiced_count = 0, paid_net_minor = 0, paid_count = 0;
INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor, invoiced_count, paid_net_minor, paid_count)
SELECT d.company_id, d.day, d.currency, sum(d.invoiced), sum(d.invoiced_n), sum(d.paid), sum(d.paid_n)
FROM invoices r, kpi_invoice_delta(1, r.company_id, r.issue_date, r.paid_at, r.status, r.currency, r.net_minor) d
GROUP BY 1, 2, 3
ON CONFLICT (company_id, day, currency) DO UPDATE SET
    invoiced_net_minor = EXCLUDED.invoiced_net_minor, invoiced_count = EXCLUDED.invoiced_count,
    paid_net_minor = EXCLUDED.paid_net_minor, paid_count = EXCLUDED.paid_count;
INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor)
SELECT company_id, issue_date, currency, -sum(net_minor) FROM credit_notes GROUP BY 1, 2, 3
ON CONFLICT (company_id, day, currency) DO UPDATE SET
    invoiced_net_minor = k.invoiced_net_minor + EXCLUDED.invoiced_net_minor;
