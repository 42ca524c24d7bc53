-- Sign-in hardening (security review):
-- * The failure throttle counts per address *and* network source: failures from one source no
--   longer lock the account for everyone (one wrong try per period kept the CEO locked out).
-- * A locked person can unlock their address with a link sent to it (stored hashed, expiring,
--   single use) instead of waiting.
-- * The sealed second-step cookie is single use: its nonce is spent when it signs someone in.

DELETE FROM login_throttle;
ALTER TABLE login_throttle ADD COLUMN source text NOT NULL DEFAULT '';
ALTER TABLE login_throttle DROP CONSTRAINT login_throttle_pkey;
ALTER TABLE login_throttle ADD PRIMARY KEY (email, source);

CREATE TABLE account_unlocks (
    token_hash  bytea NOT NULL PRIMARY KEY,
    email       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
ALTER TABLE account_unlocks ENABLE ROW LEVEL SECURITY;
ALTER TABLE account_unlocks FORCE ROW LEVEL SECURITY;
CREATE POLICY account_unlocks_system ON account_unlocks FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON account_unlocks TO unified_app;

CREATE TABLE spent_sign_in_steps (
    nonce       uuid NOT NULL PRIMARY KEY,
    expires_at  timestamptz NOT NULL
);
ALTER TABLE spent_sign_in_steps ENABLE ROW LEVEL SECURITY;
ALTER TABLE spent_sign_in_steps FORCE ROW LEVEL SECURITY;
CREATE POLICY spent_sign_in_steps_system ON spent_sign_in_steps FOR ALL USING (app_is_system()) WITH CHECK (app_is_system());
GRANT SELECT, INSERT, DELETE ON spent_sign_in_steps TO unified_app;
