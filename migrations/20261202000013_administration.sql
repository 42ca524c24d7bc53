-- Administration: people invited to every portal, their access per company, deactivation and
-- second-factor resets, done by the CEO under row-level security (no system bypass); links that
-- grant access are stored sealed and never shown to staff.

SELECT set_config('app.role', 'system', true);

-- Who administers whom: the CEO every account; staff (with users.read in the scope) the people
-- of their companies. Reads memberships, which a caller otherwise only sees for themselves.
CREATE FUNCTION app_administers(target uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT COALESCE(current_setting('app.role', true), '') = 'ceo'
        OR (COALESCE(current_setting('app.role', true), '') = 'staff' AND EXISTS (
               SELECT 1 FROM memberships m
               WHERE m.user_id = target
                 AND m.company_id = ANY (COALESCE(NULLIF(current_setting('app.company_ids', true), '')::uuid[], '{}'))))
$$;
REVOKE ALL ON FUNCTION app_administers(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app_administers(uuid) TO unified_app;

ALTER TABLE users
    ADD COLUMN deactivated_at timestamptz,
    ADD COLUMN invited_by uuid REFERENCES users (id),
    ADD COLUMN invited_at timestamptz,
    ADD CONSTRAINT users_deactivated_inactive CHECK (deactivated_at IS NULL OR NOT is_active);
CREATE POLICY users_admin_read ON users FOR SELECT USING (app_administers(id));
CREATE POLICY users_admin_insert ON users FOR INSERT WITH CHECK ((SELECT app_role()) = 'ceo');
CREATE POLICY users_admin_update ON users FOR UPDATE
    USING ((SELECT app_role()) = 'ceo') WITH CHECK ((SELECT app_role()) = 'ceo');

CREATE POLICY memberships_admin_read ON memberships FOR SELECT USING (app_administers(user_id));
CREATE POLICY memberships_admin_write ON memberships FOR ALL
    USING ((SELECT app_role()) = 'ceo') WITH CHECK ((SELECT app_role()) = 'ceo');

CREATE POLICY sessions_admin_read ON sessions FOR SELECT USING (app_administers(user_id));
CREATE POLICY sessions_admin_revoke ON sessions FOR UPDATE
    USING ((SELECT app_role()) = 'ceo') WITH CHECK ((SELECT app_role()) = 'ceo');
CREATE POLICY api_tokens_admin_read ON api_tokens FOR SELECT USING (app_administers(user_id));
CREATE POLICY api_tokens_admin_revoke ON api_tokens FOR UPDATE
    USING ((SELECT app_role()) = 'ceo') WITH CHECK ((SELECT app_role()) = 'ceo');
CREATE POLICY recovery_codes_admin_delete ON recovery_codes FOR DELETE USING ((SELECT app_role()) = 'ceo');

-- Invitations are password links of their own kind (longer-lived than a reset).
ALTER TABLE password_resets ADD COLUMN purpose text NOT NULL DEFAULT 'reset' CHECK (purpose IN ('reset', 'invitation'));
CREATE POLICY password_resets_admin_insert ON password_resets FOR INSERT WITH CHECK ((SELECT app_role()) = 'ceo');
CREATE POLICY password_resets_admin_withdraw ON password_resets FOR UPDATE
    USING ((SELECT app_role()) = 'ceo') WITH CHECK ((SELECT app_role()) = 'ceo');

-- A link that grants access is stored sealed (AES-GCM with the master key) beside a body that
-- holds the placeholder {{link}}; only the mail sender opens it, so no page, log or export shows it.
ALTER TABLE email_outbox ADD COLUMN secret_link bytea;
-- Links already in the outbox in clear are withdrawn, and the tokens behind them retired.
UPDATE email_outbox SET body_text = regexp_replace(body_text, 'https?://\S*reset-password\?token=\S+', '{{link}}', 'g'),
                        link = NULL
    WHERE body_text ~ 'reset-password\?token=' OR link ~ 'reset-password\?token=';
UPDATE password_resets SET used_at = now() WHERE used_at IS NULL;
CREATE POLICY email_outbox_admin_insert ON email_outbox FOR INSERT WITH CHECK ((SELECT app_role()) = 'ceo');
-- Those withdrawn messages are not sent with a dead placeholder either.
UPDATE email_outbox SET gave_up_at = now(), last_error = 'link withdrawn: ask for a new one'
    WHERE body_text LIKE '%{{link}}%' AND secret_link IS NULL AND sent_at IS NULL AND gave_up_at IS NULL;
CREATE POLICY refresh_tokens_admin_delete ON refresh_tokens FOR DELETE USING ((SELECT app_role()) = 'ceo');
