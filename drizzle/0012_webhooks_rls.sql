-- Webhooks are tenant data like any other: the restricted role, row-level security forced.
GRANT SELECT, INSERT, UPDATE, DELETE ON webhooks, webhook_deliveries TO icrm_app;
--> statement-breakpoint
ALTER TABLE webhooks ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhooks FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_deliveries ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE webhook_deliveries FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON webhooks
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
CREATE POLICY tenant_isolation ON webhook_deliveries
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
-- The worker finds work across tenants through icrm_claim_webhook only: it may see active
-- subscriptions and take their lease, nothing else; the work itself runs in the tenant.
CREATE POLICY worker_claim_read ON webhooks FOR SELECT
  USING (status = 'active' AND current_setting('app.worker', true) = 'on');
--> statement-breakpoint
CREATE POLICY worker_claim ON webhooks FOR UPDATE
  USING (status = 'active' AND current_setting('app.worker', true) = 'on')
  WITH CHECK (status = 'active' AND current_setting('app.worker', true) = 'on');
--> statement-breakpoint
-- Takes the subscription longest due whose lease is free (or expired: its worker died), for
-- `lease_seconds`; several workers never take the same one (SKIP LOCKED, then the lease).
CREATE OR REPLACE FUNCTION icrm_claim_webhook(owner text, lease_seconds double precision)
  RETURNS TABLE (claimed_tenant uuid, claimed_id uuid)
  LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('app.worker', 'on', true);
  RETURN QUERY
    UPDATE webhooks w SET lease_owner = owner, lease_until = now() + make_interval(secs => lease_seconds)
      WHERE (w.tenant_id, w.id) = (
        SELECT c.tenant_id, c.id FROM webhooks c
          WHERE c.status = 'active' AND c.next_run_at <= now() AND (c.lease_until IS NULL OR c.lease_until < now())
          ORDER BY c.next_run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING w.tenant_id, w.id;
  PERFORM set_config('app.worker', '', true);
END $$;
--> statement-breakpoint
-- Finished deliveries are kept as long as events (EVENT_RETENTION_DAYS), across tenants,
-- through icrm_prune_deliveries only; a pending one stays until it is sent or given up.
CREATE POLICY retention_sweep ON webhook_deliveries
  USING (status <> 'pending' AND current_setting('app.sweep', true) = 'on');
--> statement-breakpoint
CREATE OR REPLACE FUNCTION icrm_prune_deliveries(keep interval) RETURNS integer
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  removed integer;
BEGIN
  PERFORM set_config('app.sweep', 'on', true);
  DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < now() - keep;
  GET DIAGNOSTICS removed = ROW_COUNT;
  PERFORM set_config('app.sweep', '', true);
  RETURN removed;
END $$;
