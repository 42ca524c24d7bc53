-- Text search that row-level security cannot slow down, and summaries rebuilt from all rows.
--
-- Why a separate table: on a table with row-level security, Postgres evaluates the policy before
-- any user condition whose operator is not LEAKPROOF, and ILIKE is not. So the trigram indexes on
-- invoices, quotes, parties, contacts and leads could never serve a search: every search read the
-- whole table. `search_index` holds the searched text of those rows; only the owner reads it (its
-- policy is `true`, so the trigram index applies) through `search_ids`, which returns the ids the
-- caller may see — the same company (and, for portal users, party) rule as the tables' policies.
-- The list query then fetches those ids from the real table, under its own policies.

-- Backfills below read every row: act as the system role for this migration's transaction.
SELECT set_config('app.role', 'system', true);

CREATE TABLE search_index (
    kind        text NOT NULL CHECK (kind IN ('invoice', 'quote', 'party', 'contact', 'lead')),
    id          uuid NOT NULL,
    company_id  uuid NOT NULL REFERENCES companies (id),
    -- The party the row belongs to (a party's own id); portal users only find their party's rows.
    party_id    uuid,
    body        text NOT NULL,
    PRIMARY KEY (kind, id)
);
ALTER TABLE search_index ENABLE ROW LEVEL SECURITY;
ALTER TABLE search_index FORCE ROW LEVEL SECURITY;
-- Only the owner (triggers and search_ids run as it) reads or writes; the app role has no grant.
CREATE POLICY search_index_maintain ON search_index FOR ALL TO CURRENT_USER USING (true) WITH CHECK (true);
-- One index for all kinds; `kind` in it (btree_gin) so a search reads only its kind's matches.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX search_index_body ON search_index USING gin (kind, body gin_trgm_ops);
-- Invoices and quotes of the parties whose name matches.
CREATE INDEX search_index_party ON search_index (kind, party_id) WHERE party_id IS NOT NULL;

-- The searched text of each kind (what the lists used to match with ILIKE).
CREATE FUNCTION search_sync() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public AS $$
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
            CASE k WHEN 'party' THEN 'n.id' WHEN 'lead' THEN 'NULL::uuid' ELSE 'n.party_id' END,
            CASE k
                WHEN 'invoice' THEN $e$n.number || ' ' || n.title$e$
                WHEN 'quote' THEN $e$n.number || ' ' || n.title$e$
                WHEN 'party' THEN $e$n.name || ' ' || coalesce(n.email, '') || ' ' || n.town$e$
                WHEN 'contact' THEN $e$n.first_name || ' ' || n.last_name || ' ' || coalesce(n.email, '')$e$
                WHEN 'lead' THEN $e$n.title || ' ' || n.organisation || ' ' || n.contact_name$e$
            END);
    END IF;
    RETURN NULL;
END
$$;

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES ('invoices', 'invoice'), ('quotes', 'quote'), ('parties', 'party'),
                                   ('contacts', 'contact'), ('leads', 'lead')) AS v (tab, kind)
    LOOP
        EXECUTE format('CREATE TRIGGER search_%1$s_insert AFTER INSERT ON %1$I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION search_sync(%2$L)', t.tab, t.kind);
        EXECUTE format('CREATE TRIGGER search_%1$s_update AFTER UPDATE ON %1$I
                        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION search_sync(%2$L)', t.tab, t.kind);
        EXECUTE format('CREATE TRIGGER search_%1$s_delete AFTER DELETE ON %1$I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION search_sync(%2$L)', t.tab, t.kind);
    END LOOP;
END
$$;

-- Rows that existed before this migration.
INSERT INTO search_index (kind, id, company_id, party_id, body)
SELECT 'invoice', id, company_id, party_id, number || ' ' || title FROM invoices
UNION ALL
SELECT 'quote', id, company_id, party_id, number || ' ' || title FROM quotes
UNION ALL
SELECT 'party', id, company_id, id, name || ' ' || coalesce(email, '') || ' ' || town FROM parties
UNION ALL
SELECT 'contact', id, company_id, party_id, first_name || ' ' || last_name || ' ' || coalesce(email, '') FROM contacts
UNION ALL
SELECT 'lead', id, company_id, NULL, title || ' ' || organisation || ' ' || contact_name FROM leads;

-- The ids of `kind` rows whose text matches `pattern` (an ILIKE pattern), among the rows the
-- caller may see; with `with_party`, also the rows of the parties whose text matches.
CREATE FUNCTION search_ids(kind text, pattern text, with_party boolean) RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
    SELECT s.id FROM search_index s
    WHERE s.kind = search_ids.kind AND s.body ILIKE search_ids.pattern
      AND s.company_id = ANY ((SELECT app_company_ids())::uuid[])
      AND ((SELECT app_is_internal()) OR s.party_id = ANY ((SELECT app_party_ids())::uuid[]))
    UNION
    SELECT d.id FROM search_index p
    JOIN search_index d ON d.kind = search_ids.kind AND d.party_id = p.id
    WHERE with_party AND p.kind = 'party' AND p.body ILIKE search_ids.pattern
      AND p.company_id = ANY ((SELECT app_company_ids())::uuid[])
      AND ((SELECT app_is_internal()) OR p.id = ANY ((SELECT app_party_ids())::uuid[]))
$$;
REVOKE ALL ON FUNCTION search_ids(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION search_ids(text, text, boolean) TO unified_app;

-- The old per-table trigram indexes cannot serve a search under row-level security (see above).
DROP INDEX invoices_search;
DROP INDEX quotes_search;
DROP INDEX parties_trgm;
DROP INDEX contacts_trgm;
DROP INDEX leads_trgm;

-- The summary tables' first fill ran without a role and so saw no rows of a database that had
-- data already: rebuild them from every row, as the system role.
DELETE FROM kpi_daily;
INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor, invoiced_count, paid_net_minor, paid_count)
SELECT d.company_id, d.day, d.currency, sum(d.invoiced), sum(d.invoiced_n), sum(d.paid), sum(d.paid_n)
FROM invoices r, kpi_invoice_delta(1, r.company_id, r.issue_date, r.paid_at, r.status, r.currency, r.net_minor) d
GROUP BY 1, 2, 3;
INSERT INTO kpi_daily AS k (company_id, day, currency, invoiced_net_minor)
SELECT company_id, issue_date, currency, -sum(net_minor) FROM credit_notes GROUP BY 1, 2, 3
ON CONFLICT (company_id, day, currency) DO UPDATE SET
    invoiced_net_minor = k.invoiced_net_minor + EXCLUDED.invoiced_net_minor;
INSERT INTO kpi_daily AS k (company_id, day, currency, quotes_issued, quotes_won)
SELECT d.company_id, d.day, d.currency, sum(d.issued), sum(d.won)
FROM quotes r, kpi_quote_delta(1, r.company_id, r.issue_date, r.status, r.currency) d
GROUP BY 1, 2, 3
ON CONFLICT (company_id, day, currency) DO UPDATE SET
    quotes_issued = k.quotes_issued + EXCLUDED.quotes_issued, quotes_won = k.quotes_won + EXCLUDED.quotes_won;
DELETE FROM lead_stage_totals;
INSERT INTO lead_stage_totals (company_id, status, currency, lead_count, value_minor)
SELECT company_id, status, currency, count(*), sum(estimated_value_minor) FROM leads GROUP BY 1, 2, 3;
