-- Sales cycle (W1): CRM, catalogue, VAT rates, terms of sale, quotes, signatures, projects,
-- invoices, payments, credit notes, gap-free numbering. Every business row carries company_id;
-- uniques and foreign keys are composite on (company_id, ...) so they cannot leak across tenants.

-- Shared helper for the usual tenant policy: the caller's companies, and for portal roles only
-- rows of their own party.
CREATE FUNCTION app_can_see(row_company uuid, row_party uuid) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT row_company = ANY (app_company_ids())
       AND (app_is_internal() OR row_party = ANY (app_party_ids()))
$$;

-- VAT rates with validity periods (the rate follows the date of service). Public reference data.
CREATE TABLE vat_rates (
    code        text NOT NULL CHECK (code IN ('standard', 'reduced', 'accommodation', 'exempt')),
    valid_from  date NOT NULL,
    valid_to    date,
    rate_bp     integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 10000),
    PRIMARY KEY (code, valid_from),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
INSERT INTO vat_rates (code, valid_from, valid_to, rate_bp) VALUES
    ('standard', '2018-01-01', '2023-12-31', 770), ('standard', '2024-01-01', NULL, 810),
    ('reduced', '2018-01-01', '2023-12-31', 250), ('reduced', '2024-01-01', NULL, 260),
    ('accommodation', '2018-01-01', '2023-12-31', 370), ('accommodation', '2024-01-01', NULL, 380),
    ('exempt', '2018-01-01', '2023-12-31', 0), ('exempt', '2024-01-01', NULL, 0);
ALTER TABLE vat_rates ENABLE ROW LEVEL SECURITY;
ALTER TABLE vat_rates FORCE ROW LEVEL SECURITY;
CREATE POLICY vat_rates_read ON vat_rates FOR SELECT USING (true);
GRANT SELECT ON vat_rates TO unified_app;

-- Owner-company billing settings.
ALTER TABLE companies
    ADD COLUMN round_to_5_centimes boolean NOT NULL DEFAULT true,
    ADD COLUMN payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
    ADD COLUMN email text NOT NULL DEFAULT '',
    ADD COLUMN phone text NOT NULL DEFAULT '';

-- CRM ------------------------------------------------------------------------------------------
ALTER TABLE parties
    ADD COLUMN vat_number text,
    ADD COLUMN website text,
    ADD COLUMN language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'de', 'en')),
    ADD COLUMN notes text NOT NULL DEFAULT '',
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(town, ''))
    ) STORED;
CREATE INDEX parties_search ON parties USING gin (search);

CREATE TABLE contacts (
    id          uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id  uuid NOT NULL REFERENCES companies (id),
    party_id    uuid NOT NULL,
    first_name  text NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name   text NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    email       text,
    phone       text,
    job_title   text NOT NULL DEFAULT '',
    -- Documents (quotes, invoices, emails) go out in this language.
    language    text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'de', 'en')),
    user_id     uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id)
);
CREATE INDEX contacts_party ON contacts (company_id, party_id, last_name);
CREATE UNIQUE INDEX contacts_email ON contacts (company_id, lower(email)) WHERE email IS NOT NULL;
ALTER TABLE contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE contacts FORCE ROW LEVEL SECURITY;
CREATE POLICY contacts_tenant ON contacts FOR ALL
    USING (app_can_see(company_id, party_id))
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY contacts_system ON contacts FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON contacts TO unified_app;

CREATE TABLE leads (
    id                    uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id            uuid NOT NULL REFERENCES companies (id),
    title                 text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    organisation          text NOT NULL DEFAULT '',
    contact_name          text NOT NULL DEFAULT '',
    email                 text,
    phone                 text,
    source                text NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'form', 'api', 'referral', 'reseller', 'event')),
    status                text NOT NULL DEFAULT 'new'
                          CHECK (status IN ('new', 'contacted', 'qualified', 'proposal', 'negotiation', 'won', 'lost')),
    score                 integer NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    estimated_value_minor bigint NOT NULL DEFAULT 0 CHECK (estimated_value_minor >= 0),
    currency              char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    -- The reseller who brought it (a party of kind reseller); resellers see only their leads.
    reseller_party_id     uuid,
    party_id              uuid,
    contact_id            uuid,
    notes                 text NOT NULL DEFAULT '',
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    last_activity_at      timestamptz,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, reseller_party_id) REFERENCES parties (company_id, id),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id)
);
CREATE INDEX leads_company_status ON leads (company_id, status, updated_at DESC);
ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
ALTER TABLE leads FORCE ROW LEVEL SECURITY;
CREATE POLICY leads_tenant ON leads FOR ALL
    USING (app_can_see(company_id, reseller_party_id))
    WITH CHECK (app_can_see(company_id, reseller_party_id));
CREATE POLICY leads_system ON leads FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON leads TO unified_app;

CREATE TABLE lead_activities (
    id          uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id  uuid NOT NULL,
    lead_id     uuid NOT NULL,
    kind        text NOT NULL CHECK (kind IN ('call', 'email', 'meeting', 'note')),
    note        text NOT NULL CHECK (length(note) BETWEEN 1 AND 5000),
    user_id     uuid REFERENCES users (id),
    at          timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (company_id, lead_id) REFERENCES leads (company_id, id)
);
CREATE INDEX lead_activities_lead ON lead_activities (company_id, lead_id, at DESC);
ALTER TABLE lead_activities ENABLE ROW LEVEL SECURITY;
ALTER TABLE lead_activities FORCE ROW LEVEL SECURITY;
CREATE POLICY lead_activities_tenant ON lead_activities FOR ALL
    USING (EXISTS (SELECT 1 FROM leads l WHERE l.company_id = lead_activities.company_id AND l.id = lead_activities.lead_id))
    WITH CHECK (EXISTS (SELECT 1 FROM leads l WHERE l.company_id = lead_activities.company_id AND l.id = lead_activities.lead_id));
GRANT SELECT, INSERT ON lead_activities TO unified_app;

-- Catalogue ------------------------------------------------------------------------------------
CREATE TABLE products (
    id               uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id       uuid NOT NULL REFERENCES companies (id),
    sku              text NOT NULL CHECK (length(sku) BETWEEN 1 AND 50),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    description      text NOT NULL DEFAULT '',
    unit             text NOT NULL DEFAULT 'pce',
    unit_price_minor bigint NOT NULL CHECK (unit_price_minor >= 0),
    currency         char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    vat_code         text NOT NULL DEFAULT 'standard' CHECK (vat_code IN ('standard', 'reduced', 'accommodation', 'exempt')),
    active           boolean NOT NULL DEFAULT true,
    created_at       timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id),
    UNIQUE (company_id, sku)
);
ALTER TABLE products ENABLE ROW LEVEL SECURITY;
ALTER TABLE products FORCE ROW LEVEL SECURITY;
CREATE POLICY products_tenant ON products FOR ALL
    USING (company_id = ANY (app_company_ids()))
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY products_system ON products FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON products TO unified_app;

-- Deposit rules per company and project type.
CREATE TABLE deposit_rules (
    company_id    uuid NOT NULL REFERENCES companies (id),
    project_type  text NOT NULL CHECK (length(project_type) BETWEEN 1 AND 50),
    percent_bp    integer NOT NULL CHECK (percent_bp BETWEEN 0 AND 10000),
    due_days      integer NOT NULL DEFAULT 10 CHECK (due_days BETWEEN 0 AND 365),
    PRIMARY KEY (company_id, project_type)
);
ALTER TABLE deposit_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE deposit_rules FORCE ROW LEVEL SECURITY;
CREATE POLICY deposit_rules_tenant ON deposit_rules FOR ALL
    USING (company_id = ANY (app_company_ids()))
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY deposit_rules_system ON deposit_rules FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON deposit_rules TO unified_app;

-- Terms of sale: versioned; exactly one active version per company.
CREATE TABLE terms_versions (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id      uuid NOT NULL REFERENCES companies (id),
    version         integer NOT NULL CHECK (version > 0),
    status          text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'archived')),
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    content         text NOT NULL CHECK (length(content) BETWEEN 1 AND 200000),
    content_hash    text NOT NULL,
    effective_date  date NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    activated_at    timestamptz,
    UNIQUE (company_id, id),
    UNIQUE (company_id, version)
);
CREATE UNIQUE INDEX terms_one_active ON terms_versions (company_id) WHERE status = 'active';
ALTER TABLE terms_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE terms_versions FORCE ROW LEVEL SECURITY;
-- Everyone in the company (portal users included) may read the terms they are asked to accept.
CREATE POLICY terms_read ON terms_versions FOR SELECT USING (company_id = ANY (app_company_ids()));
CREATE POLICY terms_write ON terms_versions FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY terms_system ON terms_versions FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON terms_versions TO unified_app;
-- Active or archived terms were shown to clients: their content is frozen.
CREATE FUNCTION terms_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status <> 'draft' AND (NEW.content <> OLD.content OR NEW.title <> OLD.title OR NEW.version <> OLD.version) THEN
        RAISE EXCEPTION 'terms version % is % and cannot change', OLD.version, OLD.status USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER terms_frozen BEFORE UPDATE ON terms_versions FOR EACH ROW EXECUTE FUNCTION terms_frozen();

-- Gap-free numbering per company, document kind and year: the counter row is locked by the
-- transaction that creates the document, so a rollback gives the number back.
CREATE TABLE document_sequences (
    company_id  uuid NOT NULL REFERENCES companies (id),
    kind        text NOT NULL CHECK (kind IN ('quote', 'invoice', 'credit_note')),
    year        integer NOT NULL,
    last_value  integer NOT NULL DEFAULT 0,
    PRIMARY KEY (company_id, kind, year)
);
ALTER TABLE document_sequences ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_sequences FORCE ROW LEVEL SECURITY;
CREATE POLICY document_sequences_tenant ON document_sequences FOR ALL
    USING (company_id = ANY (app_company_ids())) WITH CHECK (company_id = ANY (app_company_ids()));
CREATE POLICY document_sequences_system ON document_sequences FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON document_sequences TO unified_app;

-- Quotes ---------------------------------------------------------------------------------------
CREATE TABLE quotes (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id      uuid NOT NULL REFERENCES companies (id),
    number          text NOT NULL,
    party_id        uuid NOT NULL,
    contact_id      uuid,
    lead_id         uuid,
    title           text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    status          text NOT NULL DEFAULT 'draft'
                    CHECK (status IN ('draft', 'sent', 'viewed', 'signed', 'awaiting_deposit', 'completed', 'rejected', 'expired')),
    currency        char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    language        text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'de', 'en')),
    issue_date      date NOT NULL DEFAULT current_date,
    valid_until     date NOT NULL,
    project_type    text NOT NULL DEFAULT 'default',
    deposit_bp      integer NOT NULL DEFAULT 3000 CHECK (deposit_bp BETWEEN 0 AND 10000),
    notes           text NOT NULL DEFAULT '',
    net_minor       bigint NOT NULL DEFAULT 0,
    vat_minor       bigint NOT NULL DEFAULT 0,
    rounding_minor  bigint NOT NULL DEFAULT 0,
    total_minor     bigint NOT NULL DEFAULT 0,
    sent_at         timestamptz,
    viewed_at       timestamptz,
    signed_at       timestamptz,
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id),
    UNIQUE (company_id, number),
    CHECK (valid_until >= issue_date),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id),
    FOREIGN KEY (company_id, lead_id) REFERENCES leads (company_id, id)
);
CREATE INDEX quotes_company_status ON quotes (company_id, status, issue_date DESC);
CREATE INDEX quotes_party ON quotes (company_id, party_id, issue_date DESC);
CREATE INDEX quotes_expiry ON quotes (valid_until) WHERE status IN ('sent', 'viewed');
ALTER TABLE quotes ENABLE ROW LEVEL SECURITY;
ALTER TABLE quotes FORCE ROW LEVEL SECURITY;
-- Clients see their quotes once sent, never drafts.
CREATE POLICY quotes_tenant ON quotes FOR SELECT
    USING (app_can_see(company_id, party_id) AND (app_is_internal() OR status <> 'draft'));
CREATE POLICY quotes_internal_write ON quotes FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
-- A client may move its own sent quote to viewed / signed / rejected (the code checks which).
CREATE POLICY quotes_client_update ON quotes FOR UPDATE
    USING (app_role() = 'client' AND app_can_see(company_id, party_id) AND status IN ('sent', 'viewed'))
    WITH CHECK (app_role() = 'client' AND app_can_see(company_id, party_id));
CREATE POLICY quotes_system ON quotes FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON quotes TO unified_app;

CREATE TABLE quote_lines (
    id                uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id        uuid NOT NULL,
    quote_id          uuid NOT NULL,
    position          integer NOT NULL,
    product_id        uuid,
    description       text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
    quantity_milli    bigint NOT NULL CHECK (quantity_milli <> 0),
    unit              text NOT NULL DEFAULT 'pce',
    unit_price_minor  bigint NOT NULL,
    discount_bp       integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    vat_code          text NOT NULL CHECK (vat_code IN ('standard', 'reduced', 'accommodation', 'exempt')),
    vat_rate_bp       integer NOT NULL,
    service_date      date NOT NULL,
    net_minor         bigint NOT NULL,
    vat_minor         bigint NOT NULL,
    UNIQUE (company_id, quote_id, position),
    FOREIGN KEY (company_id, quote_id) REFERENCES quotes (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, product_id) REFERENCES products (company_id, id)
);
ALTER TABLE quote_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE quote_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY quote_lines_tenant ON quote_lines FOR SELECT
    USING (EXISTS (SELECT 1 FROM quotes q WHERE q.company_id = quote_lines.company_id AND q.id = quote_lines.quote_id));
CREATE POLICY quote_lines_internal ON quote_lines FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY quote_lines_system ON quote_lines FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON quote_lines TO unified_app;

-- A quote that was signed (or is past) is frozen: its lines and amounts can no longer change.
CREATE FUNCTION quote_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    frozen boolean;
BEGIN
    IF TG_TABLE_NAME = 'quotes' THEN
        IF OLD.status IN ('signed', 'awaiting_deposit', 'completed') AND (
            NEW.net_minor <> OLD.net_minor OR NEW.vat_minor <> OLD.vat_minor OR NEW.total_minor <> OLD.total_minor
            OR NEW.party_id <> OLD.party_id OR NEW.currency <> OLD.currency OR NEW.deposit_bp <> OLD.deposit_bp
            OR NEW.valid_until <> OLD.valid_until OR NEW.title <> OLD.title OR NEW.number <> OLD.number) THEN
            RAISE EXCEPTION 'quote % is signed and cannot change', OLD.number USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
    END IF;
    SELECT q.status IN ('signed', 'awaiting_deposit', 'completed', 'rejected', 'expired') INTO frozen
    FROM quotes q WHERE q.company_id = COALESCE(NEW.company_id, OLD.company_id) AND q.id = COALESCE(NEW.quote_id, OLD.quote_id);
    IF frozen THEN
        RAISE EXCEPTION 'the lines of a signed or closed quote cannot change' USING ERRCODE = 'P0001';
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$;
CREATE TRIGGER quotes_frozen BEFORE UPDATE ON quotes FOR EACH ROW EXECUTE FUNCTION quote_frozen();
CREATE TRIGGER quote_lines_frozen BEFORE INSERT OR UPDATE OR DELETE ON quote_lines FOR EACH ROW EXECUTE FUNCTION quote_frozen();

-- Acceptance of the terms and signature: the legal proof.
CREATE TABLE quote_signatures (
    id                uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id        uuid NOT NULL,
    quote_id          uuid NOT NULL,
    party_id          uuid NOT NULL,
    terms_version_id  uuid NOT NULL,
    terms_version     integer NOT NULL,
    terms_hash        text NOT NULL,
    quote_hash        text NOT NULL,
    signer_name       text NOT NULL CHECK (length(signer_name) BETWEEN 2 AND 200),
    signature_kind    text NOT NULL CHECK (signature_kind IN ('typed', 'drawn')),
    signature_data    text NOT NULL CHECK (length(signature_data) BETWEEN 1 AND 200000),
    user_id           uuid NOT NULL REFERENCES users (id),
    ip                inet,
    user_agent        text,
    signed_at         timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, quote_id),
    FOREIGN KEY (company_id, quote_id) REFERENCES quotes (company_id, id),
    FOREIGN KEY (company_id, terms_version_id) REFERENCES terms_versions (company_id, id)
);
ALTER TABLE quote_signatures ENABLE ROW LEVEL SECURITY;
ALTER TABLE quote_signatures FORCE ROW LEVEL SECURITY;
CREATE POLICY quote_signatures_read ON quote_signatures FOR SELECT USING (app_can_see(company_id, party_id));
CREATE POLICY quote_signatures_insert ON quote_signatures FOR INSERT
    WITH CHECK (app_role() = 'client' AND app_can_see(company_id, party_id) AND user_id = app_user_id());
CREATE POLICY quote_signatures_system ON quote_signatures FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT ON quote_signatures TO unified_app;
CREATE TRIGGER quote_signatures_append_only BEFORE UPDATE OR DELETE ON quote_signatures
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Projects (W4 builds on these) ---------------------------------------------------------------
CREATE TABLE projects (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id    uuid NOT NULL REFERENCES companies (id),
    party_id      uuid NOT NULL,
    quote_id      uuid,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    project_type  text NOT NULL DEFAULT 'default',
    status        text NOT NULL DEFAULT 'planning' CHECK (status IN ('planning', 'deposit_pending', 'active', 'completed', 'cancelled')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    activated_at  timestamptz,
    UNIQUE (company_id, id),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id),
    FOREIGN KEY (company_id, quote_id) REFERENCES quotes (company_id, id)
);
CREATE INDEX projects_company_status ON projects (company_id, status);
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
ALTER TABLE projects FORCE ROW LEVEL SECURITY;
CREATE POLICY projects_tenant ON projects FOR SELECT USING (app_can_see(company_id, party_id));
CREATE POLICY projects_internal ON projects FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY projects_system ON projects FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON projects TO unified_app;

-- Invoices -------------------------------------------------------------------------------------
CREATE TABLE invoices (
    id                uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id        uuid NOT NULL REFERENCES companies (id),
    number            text NOT NULL,
    party_id          uuid NOT NULL,
    contact_id        uuid,
    quote_id          uuid,
    project_id        uuid,
    kind              text NOT NULL DEFAULT 'standard'
                      CHECK (kind IN ('deposit', 'milestone', 'recurring', 'support', 'standard', 'final')),
    status            text NOT NULL DEFAULT 'draft'
                      CHECK (status IN ('draft', 'sent', 'viewed', 'partial', 'paid', 'overdue', 'cancelled', 'disputed')),
    title             text NOT NULL DEFAULT '' CHECK (length(title) <= 200),
    currency          char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    language          text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'de', 'en')),
    issue_date        date NOT NULL DEFAULT current_date,
    due_date          date NOT NULL,
    net_minor         bigint NOT NULL DEFAULT 0,
    vat_minor         bigint NOT NULL DEFAULT 0,
    rounding_minor    bigint NOT NULL DEFAULT 0,
    total_minor       bigint NOT NULL DEFAULT 0,
    paid_minor        bigint NOT NULL DEFAULT 0 CHECK (paid_minor >= 0),
    credited_minor    bigint NOT NULL DEFAULT 0 CHECK (credited_minor >= 0),
    reference_type    text NOT NULL CHECK (reference_type IN ('QRR', 'SCOR', 'NON')),
    reference         text NOT NULL DEFAULT '',
    notes             text NOT NULL DEFAULT '',
    sent_at           timestamptz,
    viewed_at         timestamptz,
    paid_at           timestamptz,
    created_by        uuid REFERENCES users (id),
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id),
    UNIQUE (company_id, number),
    CHECK (due_date >= issue_date),
    CHECK (paid_minor + credited_minor <= GREATEST(total_minor, 0)),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id),
    FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id),
    FOREIGN KEY (company_id, quote_id) REFERENCES quotes (company_id, id),
    FOREIGN KEY (company_id, project_id) REFERENCES projects (company_id, id)
);
-- A reference identifies one invoice (bank matching relies on it).
CREATE UNIQUE INDEX invoices_reference ON invoices (company_id, reference) WHERE reference <> '';
CREATE INDEX invoices_company_status ON invoices (company_id, status, due_date);
CREATE INDEX invoices_party ON invoices (company_id, party_id, issue_date DESC);
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoices FORCE ROW LEVEL SECURITY;
CREATE POLICY invoices_tenant ON invoices FOR SELECT
    USING (app_can_see(company_id, party_id) AND (app_is_internal() OR status <> 'draft'));
CREATE POLICY invoices_internal ON invoices FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
-- A client's viewing marks a sent invoice as viewed.
CREATE POLICY invoices_client_viewed ON invoices FOR UPDATE
    USING (app_role() = 'client' AND app_can_see(company_id, party_id) AND status = 'sent')
    WITH CHECK (app_role() = 'client' AND app_can_see(company_id, party_id));
CREATE POLICY invoices_system ON invoices FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON invoices TO unified_app;

CREATE TABLE invoice_lines (
    id                uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id        uuid NOT NULL,
    invoice_id        uuid NOT NULL,
    position          integer NOT NULL,
    product_id        uuid,
    description       text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
    quantity_milli    bigint NOT NULL CHECK (quantity_milli <> 0),
    unit              text NOT NULL DEFAULT 'pce',
    unit_price_minor  bigint NOT NULL,
    discount_bp       integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    vat_code          text NOT NULL CHECK (vat_code IN ('standard', 'reduced', 'accommodation', 'exempt')),
    vat_rate_bp       integer NOT NULL,
    service_date      date NOT NULL,
    net_minor         bigint NOT NULL,
    vat_minor         bigint NOT NULL,
    UNIQUE (company_id, invoice_id, position),
    FOREIGN KEY (company_id, invoice_id) REFERENCES invoices (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, product_id) REFERENCES products (company_id, id)
);
ALTER TABLE invoice_lines ENABLE ROW LEVEL SECURITY;
ALTER TABLE invoice_lines FORCE ROW LEVEL SECURITY;
CREATE POLICY invoice_lines_tenant ON invoice_lines FOR SELECT
    USING (EXISTS (SELECT 1 FROM invoices i WHERE i.company_id = invoice_lines.company_id AND i.id = invoice_lines.invoice_id));
CREATE POLICY invoice_lines_internal ON invoice_lines FOR ALL
    USING (company_id = ANY (app_company_ids()) AND app_is_internal())
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY invoice_lines_system ON invoice_lines FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON invoice_lines TO unified_app;

-- Sent invoices are locked: changes only by credit note (status and settled amounts still move).
CREATE FUNCTION invoice_locked() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    locked boolean;
BEGIN
    IF TG_TABLE_NAME = 'invoices' THEN
        IF OLD.status <> 'draft' AND (
            NEW.net_minor <> OLD.net_minor OR NEW.vat_minor <> OLD.vat_minor OR NEW.total_minor <> OLD.total_minor
            OR NEW.rounding_minor <> OLD.rounding_minor OR NEW.party_id <> OLD.party_id OR NEW.currency <> OLD.currency
            OR NEW.issue_date <> OLD.issue_date OR NEW.due_date <> OLD.due_date OR NEW.number <> OLD.number
            OR NEW.reference <> OLD.reference OR NEW.kind <> OLD.kind) THEN
            RAISE EXCEPTION 'invoice % is sent and cannot change; issue a credit note', OLD.number USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
    END IF;
    SELECT i.status <> 'draft' INTO locked
    FROM invoices i WHERE i.company_id = COALESCE(NEW.company_id, OLD.company_id) AND i.id = COALESCE(NEW.invoice_id, OLD.invoice_id);
    IF locked THEN
        RAISE EXCEPTION 'the lines of a sent invoice cannot change; issue a credit note' USING ERRCODE = 'P0001';
    END IF;
    RETURN COALESCE(NEW, OLD);
END
$$;
CREATE TRIGGER invoices_locked BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION invoice_locked();
CREATE TRIGGER invoice_lines_locked BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines FOR EACH ROW EXECUTE FUNCTION invoice_locked();

CREATE TABLE payments (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id    uuid NOT NULL,
    invoice_id    uuid NOT NULL,
    party_id      uuid NOT NULL,
    amount_minor  bigint NOT NULL CHECK (amount_minor > 0),
    currency      char(3) NOT NULL,
    paid_on       date NOT NULL,
    method        text NOT NULL DEFAULT 'bank_transfer' CHECK (method IN ('bank_transfer', 'cash', 'card', 'other')),
    note          text NOT NULL DEFAULT '',
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (company_id, invoice_id) REFERENCES invoices (company_id, id)
);
CREATE INDEX payments_invoice ON payments (company_id, invoice_id);
ALTER TABLE payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE payments FORCE ROW LEVEL SECURITY;
CREATE POLICY payments_tenant ON payments FOR SELECT USING (app_can_see(company_id, party_id));
CREATE POLICY payments_internal ON payments FOR INSERT
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY payments_system ON payments FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT ON payments TO unified_app;

CREATE TABLE credit_notes (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id    uuid NOT NULL,
    number        text NOT NULL,
    invoice_id    uuid NOT NULL,
    party_id      uuid NOT NULL,
    currency      char(3) NOT NULL,
    net_minor     bigint NOT NULL,
    vat_minor     bigint NOT NULL,
    total_minor   bigint NOT NULL CHECK (total_minor > 0),
    reason        text NOT NULL CHECK (length(reason) BETWEEN 1 AND 1000),
    issue_date    date NOT NULL DEFAULT current_date,
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, number),
    FOREIGN KEY (company_id, invoice_id) REFERENCES invoices (company_id, id)
);
ALTER TABLE credit_notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE credit_notes FORCE ROW LEVEL SECURITY;
CREATE POLICY credit_notes_tenant ON credit_notes FOR SELECT USING (app_can_see(company_id, party_id));
CREATE POLICY credit_notes_internal ON credit_notes FOR INSERT
    WITH CHECK (company_id = ANY (app_company_ids()) AND app_is_internal());
CREATE POLICY credit_notes_system ON credit_notes FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT ON credit_notes TO unified_app;

-- Emails: the CEO portal lists them per company; the sender worker retries.
ALTER TABLE email_outbox ADD COLUMN party_id uuid, ADD COLUMN link text;
CREATE POLICY email_outbox_staff ON email_outbox FOR SELECT
    USING (app_role() = 'staff' AND company_id = ANY (app_company_ids()));
CREATE POLICY email_outbox_internal_insert ON email_outbox FOR INSERT
    WITH CHECK (app_is_internal() AND company_id = ANY (app_company_ids()));
