-- The Swiss date of any instant, so that Postgres and the application can be compared at pinned
-- instants (the calendar test walks both clocks hour by hour across the summer-time changes).
-- "Today" is that date at now(): one definition, used by every default, policy and job.

CREATE FUNCTION app_date_at(instant timestamptz) RETURNS date LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT (instant AT TIME ZONE 'Europe/Zurich')::date $$;

CREATE OR REPLACE FUNCTION app_today() RETURNS date LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT app_date_at(now()) $$;
