-- A running import whose server died (its heartbeat stale) is failed by housekeeping, on any
-- instance and across tenants, through icrm_fail_stale_imports only: the function turns
-- app.sweep on for its own statement, and these policies let it see and fail stale running jobs,
-- and nothing else (a job it touches can only become failed). An UPDATE whose WHERE reads columns
-- must also see the row it writes, hence 'failed' in the read policy.
CREATE POLICY stale_sweep_read ON import_jobs FOR SELECT
  USING (status IN ('running', 'failed') AND current_setting('app.sweep', true) = 'on');
--> statement-breakpoint
CREATE POLICY stale_sweep ON import_jobs FOR UPDATE
  USING (status = 'running' AND current_setting('app.sweep', true) = 'on')
  WITH CHECK (status = 'failed' AND current_setting('app.sweep', true) = 'on');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION icrm_fail_stale_imports(stale_seconds double precision) RETURNS integer
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  failed integer;
BEGIN
  PERFORM set_config('app.sweep', 'on', true);
  UPDATE import_jobs SET status = 'failed', finished_at = now()
    WHERE status = 'running' AND heartbeat_at < now() - make_interval(secs => stale_seconds);
  GET DIAGNOSTICS failed = ROW_COUNT;
  PERFORM set_config('app.sweep', '', true);
  RETURN failed;
END $$;
