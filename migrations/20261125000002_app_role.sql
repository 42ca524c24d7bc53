-- no-transaction
-- The runtime role (cluster-wide). Created outside a transaction so that databases migrating in
-- parallel (tests) never see a role another migration has created but not yet committed.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'unified_app') THEN
        CREATE ROLE unified_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
    END IF;
EXCEPTION
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;
