-- Owner companies: the holding's companies, i.e. the tenants. Every business row refers to one.
CREATE TABLE companies (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code            text NOT NULL UNIQUE CHECK (code ~ '^[A-Z][A-Z0-9_]{1,31}$'),
    name            text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    legal_name      text NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
    activity        text NOT NULL DEFAULT '',
    colour          text NOT NULL CHECK (colour ~ '^#[0-9A-Fa-f]{6}$'),
    uid             text CHECK (uid ~ '^CHE-[0-9]{3}\.[0-9]{3}\.[0-9]{3}$'),
    vat_number      text,
    street          text NOT NULL DEFAULT '',
    building_number text NOT NULL DEFAULT '',
    postal_code     text NOT NULL DEFAULT '',
    town            text NOT NULL DEFAULT '',
    country         char(2) NOT NULL DEFAULT 'CH',
    iban            text CHECK (iban ~ '^[A-Z]{2}[0-9]{2}[0-9A-Z]{1,30}$'),
    qr_iban         text CHECK (qr_iban ~ '^(CH|LI)[0-9]{2}3[01][0-9]{3}[0-9A-Z]{12}$'),
    currency        char(3) NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR', 'USD')),
    -- The VAT category a new line gets unless it says otherwise (e.g. real estate is exempt).
    default_vat     text NOT NULL DEFAULT 'standard'
                    CHECK (default_vat IN ('standard', 'reduced', 'accommodation', 'exempt')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE companies IS 'Owner companies of the holding (tenants); business rows carry company_id.';
