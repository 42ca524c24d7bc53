-- SMTP delivery of the outbox: a message refused permanently (bad address, 5xx) stops being
-- retried but stays in the table, visible with its error.
ALTER TABLE email_outbox ADD COLUMN gave_up_at timestamptz;
DROP INDEX email_outbox_pending;
CREATE INDEX email_outbox_pending ON email_outbox (next_attempt_at) WHERE sent_at IS NULL AND gave_up_at IS NULL;
