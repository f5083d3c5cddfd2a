-- The worker's claim reads only active subscriptions: its index holds only those, so disabled
-- ones (kept with their old next_run_at) are never stepped over.
DROP INDEX "webhooks_next_run_idx";--> statement-breakpoint
CREATE INDEX "webhooks_next_run_idx" ON "webhooks" USING btree ("next_run_at") WHERE status = 'active';--> statement-breakpoint
-- The retention sweep's policies (drizzle/0010 and 0012) allowed every command across tenants
-- while app.sweep is on; the sweep only reads and deletes (and moves a head's pruned point), so
-- that is all they allow now, as the stale-import sweep's do (drizzle/0006).
DROP POLICY retention_sweep ON events;--> statement-breakpoint
CREATE POLICY retention_sweep_read ON events FOR SELECT USING (current_setting('app.sweep', true) = 'on');--> statement-breakpoint
CREATE POLICY retention_sweep_delete ON events FOR DELETE USING (current_setting('app.sweep', true) = 'on');--> statement-breakpoint
DROP POLICY retention_sweep ON event_commits;--> statement-breakpoint
CREATE POLICY retention_sweep_read ON event_commits FOR SELECT USING (current_setting('app.sweep', true) = 'on');--> statement-breakpoint
CREATE POLICY retention_sweep_delete ON event_commits FOR DELETE USING (current_setting('app.sweep', true) = 'on');--> statement-breakpoint
DROP POLICY retention_sweep ON event_heads;--> statement-breakpoint
CREATE POLICY retention_sweep_read ON event_heads FOR SELECT USING (current_setting('app.sweep', true) = 'on');--> statement-breakpoint
CREATE POLICY retention_sweep_update ON event_heads FOR UPDATE
  USING (current_setting('app.sweep', true) = 'on') WITH CHECK (current_setting('app.sweep', true) = 'on');--> statement-breakpoint
DROP POLICY retention_sweep ON webhook_deliveries;--> statement-breakpoint
CREATE POLICY retention_sweep_read ON webhook_deliveries FOR SELECT
  USING (status <> 'pending' AND current_setting('app.sweep', true) = 'on');--> statement-breakpoint
CREATE POLICY retention_sweep_delete ON webhook_deliveries FOR DELETE
  USING (status <> 'pending' AND current_setting('app.sweep', true) = 'on');
