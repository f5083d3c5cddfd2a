-- The indexes of the analytics summary (bench:analytics). Written here rather than in
-- src/db/schema/interviews.ts: drizzle's index builder has no INCLUDE.
-- Completed interviews per requester: an index-only count of each requester's statuses.
CREATE INDEX IF NOT EXISTS interviews_requester_status_idx ON interviews (tenant_id, requester_id, status);
--> statement-breakpoint
-- Skill growth and referrals: each requester's completed interviews in order (occurredAt, then
-- id) with their ratings, read from the index alone.
CREATE INDEX IF NOT EXISTS interviews_completed_idx ON interviews (tenant_id, requester_id, occurred_at, id) INCLUDE (skill_ratings) WHERE status = 'completed';
--> statement-breakpoint
-- Network growth: relationships by creation with their source, read from the index alone.
CREATE INDEX IF NOT EXISTS relationships_created_source_idx ON relationships (tenant_id, created_at) INCLUDE (source, person_id);
