-- Recurring billing: subscriptions with their items, invoiced by a daily job. One invoice per
-- subscription and period, whatever runs it how often: the period is part of a unique key.

SELECT set_config('app.role', 'system', true);

ALTER TABLE subscriptions
    ADD COLUMN contact_id uuid,
    ADD COLUMN ends_on date,
    -- The first day of the next period to invoice; moves one interval after each invoice.
    ADD COLUMN next_invoice_on date,
    ADD COLUMN due_days integer NOT NULL DEFAULT 30 CHECK (due_days BETWEEN 0 AND 365),
    ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD CONSTRAINT subscriptions_period CHECK (ends_on IS NULL OR ends_on >= started_on),
    ADD CONSTRAINT subscriptions_amount_bounded CHECK (amount_minor <= 10000000000000),
    ADD FOREIGN KEY (company_id, contact_id) REFERENCES contacts (company_id, id);
-- Subscriptions that existed before: their next period follows their start date.
UPDATE subscriptions s SET next_invoice_on = (
    SELECT min(d)::date FROM generate_series(
        s.started_on::timestamp,
        app_today()::timestamp + interval '1 year',
        CASE s.billing_interval WHEN 'month' THEN interval '1 month'
                                WHEN 'quarter' THEN interval '3 months' ELSE interval '1 year' END) d
    WHERE d::date >= app_today());
ALTER TABLE subscriptions ALTER COLUMN next_invoice_on SET NOT NULL;
CREATE INDEX subscriptions_due ON subscriptions (next_invoice_on) WHERE status = 'active';

CREATE TABLE subscription_items (
    company_id        uuid NOT NULL,
    subscription_id   uuid NOT NULL,
    position          integer NOT NULL CHECK (position > 0),
    product_id        uuid,
    description       text NOT NULL CHECK (length(description) BETWEEN 1 AND 1000),
    quantity_milli    bigint NOT NULL CHECK (quantity_milli > 0 AND quantity_milli <= 1000000000),
    unit              text NOT NULL DEFAULT 'pce',
    unit_price_minor  bigint NOT NULL CHECK (unit_price_minor >= 0 AND unit_price_minor <= 10000000000000),
    discount_bp       integer NOT NULL DEFAULT 0 CHECK (discount_bp BETWEEN 0 AND 10000),
    vat_code          text NOT NULL CHECK (vat_code IN ('standard', 'reduced', 'accommodation', 'exempt')),
    PRIMARY KEY (company_id, subscription_id, position),
    FOREIGN KEY (company_id, subscription_id) REFERENCES subscriptions (company_id, id) ON DELETE CASCADE,
    FOREIGN KEY (company_id, product_id) REFERENCES products (company_id, id)
);
ALTER TABLE subscription_items ENABLE ROW LEVEL SECURITY;
ALTER TABLE subscription_items FORCE ROW LEVEL SECURITY;
CREATE POLICY subscription_items_tenant ON subscription_items FOR SELECT
    USING (EXISTS (SELECT 1 FROM subscriptions s WHERE s.company_id = subscription_items.company_id
                   AND s.id = subscription_items.subscription_id));
CREATE POLICY subscription_items_internal ON subscription_items FOR ALL
    USING (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()))
    WITH CHECK (company_id = ANY ((SELECT app_company_ids())::uuid[]) AND (SELECT app_is_internal()));
CREATE POLICY subscription_items_system ON subscription_items FOR ALL
    USING ((SELECT app_is_system())) WITH CHECK ((SELECT app_is_system()));
GRANT SELECT, INSERT, UPDATE, DELETE ON subscription_items TO unified_app;
-- Subscriptions that existed before: one item carrying their amount.
INSERT INTO subscription_items (company_id, subscription_id, position, description, quantity_milli, unit_price_minor, vat_code)
SELECT s.company_id, s.id, 1, s.name, 1000, s.amount_minor, c.default_vat
FROM subscriptions s JOIN companies c ON c.id = s.company_id;

-- The invoice of a period remembers its subscription and period: never two for one period.
ALTER TABLE invoices
    ADD COLUMN subscription_id uuid,
    ADD COLUMN period_start date,
    ADD CONSTRAINT invoices_period_of_subscription CHECK ((subscription_id IS NULL) = (period_start IS NULL)),
    ADD FOREIGN KEY (company_id, subscription_id) REFERENCES subscriptions (company_id, id);
CREATE UNIQUE INDEX invoices_subscription_period ON invoices (company_id, subscription_id, period_start)
    WHERE subscription_id IS NOT NULL;
GRANT DELETE ON subscriptions TO unified_app;
