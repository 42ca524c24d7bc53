-- Quotes awaiting their deposit, per company in issue order: the dashboard counts them and lists
-- the oldest from this index alone (the policy's columns are in it), not from the table.
CREATE INDEX quotes_awaiting_deposit ON quotes (company_id, issue_date, id) INCLUDE (party_id)
    WHERE status = 'awaiting_deposit';
