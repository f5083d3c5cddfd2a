-- Row-level security binds the tables' owner too (FORCE): a session that leaves the restricted
-- role (a RESET ROLE, injected or not) still sees one tenant, or none, unless it is a superuser
-- or has BYPASSRLS (the service warns at start when it connects as one). Run the service as a
-- login role that owns nothing and is a member of icrm_app (README: Security model).
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE api_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE people FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE relationships FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE interviews FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE interview_referrals FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE career_strategies FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE career_strategy_target_organizations FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE career_strategy_interviews FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE career_strategy_revisions FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE import_jobs FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE import_job_errors FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE idempotency_keys FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- Authentication finds a key by its public prefix before the tenant is known, and the CLI
-- revokes a key by its id: a key row is readable by whoever names it exactly, nothing more.
CREATE POLICY key_lookup ON api_keys FOR SELECT
  USING (nullif(current_setting('app.api_key', true), '') IN (prefix, id::text));
--> statement-breakpoint
-- One round trip: names the key for the policy above (until the statement's transaction ends)
-- and reads it. It runs with the caller's rights; it grants nothing.
CREATE OR REPLACE FUNCTION icrm_find_api_key(named text) RETURNS SETOF api_keys
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.api_key', named, true);
  RETURN QUERY
    SELECT * FROM api_keys WHERE prefix = named
    UNION ALL
    -- By id (lower case): the CLI's revoke, rare enough for a scan; never cast, so any text is safe.
    SELECT * FROM api_keys WHERE named ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' AND id::text = named;
END $$;
--> statement-breakpoint
-- Expired idempotency answers are swept across tenants, by icrm_sweep_idempotency_keys only: a
-- DELETE with a WHERE must see the rows it deletes, so the sweep turns app.sweep on for itself.
CREATE POLICY expired_sweep ON idempotency_keys FOR DELETE USING (expires_at < now());
--> statement-breakpoint
CREATE POLICY expired_sweep_read ON idempotency_keys FOR SELECT
  USING (expires_at < now() AND current_setting('app.sweep', true) = 'on');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION icrm_sweep_idempotency_keys(max_rows integer) RETURNS integer
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  deleted integer;
BEGIN
  PERFORM set_config('app.sweep', 'on', true);
  DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT max_rows);
  GET DIAGNOSTICS deleted = ROW_COUNT;
  PERFORM set_config('app.sweep', '', true);
  RETURN deleted;
END $$;
--> statement-breakpoint
-- Readiness reads the migrations journal, as the service's own role when it owns nothing.
GRANT USAGE ON SCHEMA drizzle TO icrm_app;
--> statement-breakpoint
GRANT SELECT ON drizzle.__drizzle_migrations TO icrm_app;
