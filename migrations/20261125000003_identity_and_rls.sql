-- Identity, sessions, tokens, audit, and row-level security.
--
-- The application connects as `unified_app`: it owns nothing and cannot bypass RLS. Each request
-- runs in a transaction that sets, with set_config(..., true) (transaction-local):
--   app.user_id      the caller's user id
--   app.role         ceo | staff | client | provider | reseller | system
--   app.company_ids  '{uuid,...}' the owner companies the caller may act in (for this permission)
--   app.party_ids    '{uuid,...}' the CRM parties a portal user acts for
-- With no context every policy below yields no rows (fails closed).

GRANT USAGE ON SCHEMA public TO unified_app;

-- Context accessors. NULLIF: a setting used earlier on the connection reads '' rather than NULL.
CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;
CREATE FUNCTION app_role() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.role', true), '') $$;
CREATE FUNCTION app_company_ids() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT COALESCE(NULLIF(current_setting('app.company_ids', true), '')::uuid[], '{}') $$;
CREATE FUNCTION app_party_ids() RETURNS uuid[] LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT COALESCE(NULLIF(current_setting('app.party_ids', true), '')::uuid[], '{}') $$;
-- The identity machinery (login, token refresh) and cross-company jobs (demo loading, workers)
-- run as `system`; request handlers never do.
CREATE FUNCTION app_is_system() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT COALESCE(current_setting('app.role', true) = 'system', false) $$;
-- Company staff and the CEO see company-wide rows; portal roles only their own party's rows.
CREATE FUNCTION app_is_internal() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT COALESCE(current_setting('app.role', true) IN ('ceo', 'staff'), false) $$;

-- Owner companies -------------------------------------------------------------------------------
ALTER TABLE companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE companies FORCE ROW LEVEL SECURITY;
CREATE POLICY companies_read ON companies FOR SELECT
    USING (app_is_system() OR id = ANY ((SELECT app_company_ids())::uuid[]));
CREATE POLICY companies_system ON companies FOR ALL
    USING (app_is_system()) WITH CHECK (app_is_system());
CREATE POLICY companies_update ON companies FOR UPDATE
    USING (app_role() = 'ceo' AND id = ANY ((SELECT app_company_ids())::uuid[]))
    WITH CHECK (app_role() = 'ceo' AND id = ANY ((SELECT app_company_ids())::uuid[]));
GRANT SELECT, INSERT, UPDATE ON companies TO unified_app;

-- CRM parties: the client companies, providers, resellers (and suppliers, partners) of an owner
-- company. Portal users act for one party per company.
CREATE TABLE parties (
    id          uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id  uuid NOT NULL REFERENCES companies (id),
    kind        text NOT NULL CHECK (kind IN ('client', 'supplier', 'provider', 'partner', 'reseller')),
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    email       text,
    phone       text,
    street      text NOT NULL DEFAULT '',
    building_number text NOT NULL DEFAULT '',
    postal_code text NOT NULL DEFAULT '',
    town        text NOT NULL DEFAULT '',
    country     char(2) NOT NULL DEFAULT 'CH',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    UNIQUE (company_id, id)
);
CREATE INDEX parties_company_kind ON parties (company_id, kind, name);
ALTER TABLE parties ENABLE ROW LEVEL SECURITY;
ALTER TABLE parties FORCE ROW LEVEL SECURITY;
CREATE POLICY parties_tenant ON parties FOR ALL
    USING (
        company_id = ANY ((SELECT app_company_ids())::uuid[])
        AND ((SELECT app_is_internal()) OR id = ANY ((SELECT app_party_ids())::uuid[]))
    )
    WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()));
CREATE POLICY parties_system ON parties FOR ALL
    USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON parties TO unified_app;

-- Users ---------------------------------------------------------------------------------------------
CREATE TABLE users (
    id                  uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    email               text NOT NULL CHECK (email = lower(email) AND email ~ '^[^@\s]+@[^@\s]+\.[^@\s]+$'),
    display_name        text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
    role                text NOT NULL CHECK (role IN ('ceo', 'staff', 'client', 'provider', 'reseller')),
    -- argon2id PHC string; NULL for single-sign-on-only accounts.
    password_hash       text,
    locale              text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'de', 'en')),
    is_active           boolean NOT NULL DEFAULT true,
    -- TOTP secrets, encrypted (AES-256-GCM: nonce || ciphertext) with the server's master key.
    totp_secret         bytea,
    totp_pending_secret bytea,
    totp_enabled_at     timestamptz,
    -- The last accepted 30-second step: a code is never accepted twice.
    totp_last_step      bigint,
    password_changed_at timestamptz,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users FOR SELECT USING (id = app_user_id());
CREATE POLICY users_system ON users FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON users TO unified_app;

-- Which companies a user works in, with what (staff) permissions, acting for which party (portals).
CREATE TABLE memberships (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    company_id  uuid NOT NULL REFERENCES companies (id),
    permissions text[] NOT NULL DEFAULT '{}',
    party_id    uuid,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, company_id),
    FOREIGN KEY (company_id, party_id) REFERENCES parties (company_id, id)
);
CREATE INDEX memberships_company ON memberships (company_id);
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
CREATE POLICY memberships_self ON memberships FOR SELECT USING (user_id = app_user_id());
CREATE POLICY memberships_system ON memberships FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships TO unified_app;

-- Sessions: one per sign-in; a session is a family of rotating refresh tokens.
CREATE TABLE sessions (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    method          text NOT NULL CHECK (method IN ('password', 'password+totp', 'password+recovery', 'sso', 'sso+totp', 'sso+recovery')),
    ip              inet,
    user_agent      text,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen_at    timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    revoked_at      timestamptz,
    revoked_reason  text
);
CREATE INDEX sessions_user_active ON sessions (user_id) WHERE revoked_at IS NULL;
ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_self ON sessions FOR SELECT USING (user_id = app_user_id());
CREATE POLICY sessions_system ON sessions FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON sessions TO unified_app;

CREATE TABLE refresh_tokens (
    token_hash  bytea NOT NULL PRIMARY KEY,
    session_id  uuid NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    -- Set when the token was exchanged for its successor; presenting it again is theft.
    used_at     timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_system ON refresh_tokens FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO unified_app;

-- JWT signing keys (Ed25519). Several live at once so the signing key rotates without logging
-- anyone out; private keys are encrypted with the master key.
CREATE TABLE signing_keys (
    kid           text NOT NULL PRIMARY KEY,
    algorithm     text NOT NULL CHECK (algorithm = 'EdDSA'),
    private_key   bytea NOT NULL,
    public_key    bytea NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- After this the key no longer signs; it still verifies until verify_until.
    sign_until    timestamptz NOT NULL,
    verify_until  timestamptz NOT NULL,
    CHECK (verify_until > sign_until)
);
ALTER TABLE signing_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE signing_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY signing_keys_system ON signing_keys FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON signing_keys TO unified_app;

-- Failed sign-ins per email (known or not, so the answer never reveals whether an account exists).
CREATE TABLE login_throttle (
    email         text NOT NULL PRIMARY KEY,
    failures      integer NOT NULL DEFAULT 0,
    locked_until  timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE login_throttle ENABLE ROW LEVEL SECURITY;
ALTER TABLE login_throttle FORCE ROW LEVEL SECURITY;
CREATE POLICY login_throttle_system ON login_throttle FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON login_throttle TO unified_app;

CREATE TABLE password_resets (
    token_hash  bytea NOT NULL PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX password_resets_user ON password_resets (user_id);
ALTER TABLE password_resets ENABLE ROW LEVEL SECURITY;
ALTER TABLE password_resets FORCE ROW LEVEL SECURITY;
CREATE POLICY password_resets_system ON password_resets FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON password_resets TO unified_app;

CREATE TABLE recovery_codes (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash   bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    used_at     timestamptz,
    PRIMARY KEY (user_id, code_hash)
);
ALTER TABLE recovery_codes ENABLE ROW LEVEL SECURITY;
ALTER TABLE recovery_codes FORCE ROW LEVEL SECURITY;
CREATE POLICY recovery_codes_system ON recovery_codes FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON recovery_codes TO unified_app;

-- API tokens: scoped to a subset of the creator's permissions and companies.
CREATE TABLE api_tokens (
    id            uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name          text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    -- The first characters, shown in lists so a token can be recognised without revealing it.
    prefix        text NOT NULL,
    token_hash    bytea NOT NULL UNIQUE,
    permissions   text[] NOT NULL,
    company_ids   uuid[] NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    last_used_at  timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_self ON api_tokens FOR SELECT USING (user_id = app_user_id());
CREATE POLICY api_tokens_system ON api_tokens FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON api_tokens TO unified_app;

-- Single sign-on identities linked to users.
CREATE TABLE external_identities (
    issuer      text NOT NULL,
    subject     text NOT NULL,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    email       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    last_login_at timestamptz,
    PRIMARY KEY (issuer, subject)
);
ALTER TABLE external_identities ENABLE ROW LEVEL SECURITY;
ALTER TABLE external_identities FORCE ROW LEVEL SECURITY;
CREATE POLICY external_identities_system ON external_identities FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE ON external_identities TO unified_app;

-- Outgoing email: written in the same transaction as the change that causes it, sent by a worker
-- (or read by tests in development); never lost.
CREATE TABLE email_outbox (
    id              uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    company_id      uuid REFERENCES companies (id),
    kind            text NOT NULL,
    to_address      text NOT NULL,
    subject         text NOT NULL,
    body_text       text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        integer NOT NULL DEFAULT 0,
    last_error      text,
    sent_at         timestamptz
);
CREATE INDEX email_outbox_pending ON email_outbox (next_attempt_at) WHERE sent_at IS NULL;
ALTER TABLE email_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE email_outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY email_outbox_system ON email_outbox FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
CREATE POLICY email_outbox_ceo ON email_outbox FOR SELECT
    USING (app_role() = 'ceo' AND (company_id IS NULL OR company_id = ANY ((SELECT app_company_ids())::uuid[])));
GRANT SELECT, INSERT, UPDATE ON email_outbox TO unified_app;

-- Audit log: append-only, for everyone including the schema owner.
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    event       text NOT NULL,
    user_id     uuid,
    company_id  uuid,
    ip          inet,
    user_agent  text,
    details     jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_user ON audit_log (user_id, at DESC);
CREATE INDEX audit_log_company ON audit_log (company_id, at DESC);
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_log FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_log_insert ON audit_log FOR INSERT WITH CHECK (true);
CREATE POLICY audit_log_read ON audit_log FOR SELECT
    USING (
        app_is_system()
        OR user_id = app_user_id()
        OR (app_role() = 'ceo' AND (company_id IS NULL OR company_id = ANY ((SELECT app_company_ids())::uuid[])))
    );
GRANT SELECT, INSERT ON audit_log TO unified_app;
