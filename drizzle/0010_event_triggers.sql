-- The outbox (src/db/schema/events.ts), written by the database itself: triggers on every
-- entity table append the events of a change in the transaction that makes it, whatever made
-- it (REST, GraphQL, an import batch, a cascade). Statement-level, over transition tables: one
-- INSERT per statement, however many rows it wrote.
--
-- One event per record per transaction: a later change of the same record in the transaction
-- merges into it (created then updated stays created; anything then deleted is deleted).
GRANT SELECT, INSERT, UPDATE, DELETE ON events, event_commits, event_heads TO icrm_app;
--> statement-breakpoint
ALTER TABLE events ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE events FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE event_commits ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE event_commits FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE event_heads ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE event_heads FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON events
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
CREATE POLICY tenant_isolation ON event_commits
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
CREATE POLICY tenant_isolation ON event_heads
  USING (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (tenant_id = nullif(current_setting('app.tenant_id', true), '')::uuid);
--> statement-breakpoint
-- The retention sweep works across tenants, through icrm_prune_events only (as the stale
-- import sweep does, drizzle/0006).
CREATE POLICY retention_sweep ON events USING (current_setting('app.sweep', true) = 'on');
--> statement-breakpoint
CREATE POLICY retention_sweep ON event_commits USING (current_setting('app.sweep', true) = 'on');
--> statement-breakpoint
CREATE POLICY retention_sweep ON event_heads USING (current_setting('app.sweep', true) = 'on');
--> statement-breakpoint
-- A record's child lists, by the record field that shows them, as raw rows in list order (the
-- service turns them into the field's items as a read does). '{}' for an entity without any.
CREATE OR REPLACE FUNCTION icrm_event_children(entity text, tenant uuid, record uuid) RETURNS jsonb
  LANGUAGE sql STABLE AS $$
  SELECT CASE entity
    WHEN 'interview' THEN jsonb_build_object(
      'referrals', coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.position) FROM interview_referrals c
        WHERE c.tenant_id = tenant AND c.interview_id = record), '[]'::jsonb))
    WHEN 'career_strategy' THEN jsonb_build_object(
      'targetOrganizationIds', coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.position) FROM career_strategy_target_organizations c
        WHERE c.tenant_id = tenant AND c.strategy_id = record), '[]'::jsonb),
      'informedByInterviewIds', coalesce((SELECT jsonb_agg(to_jsonb(c) ORDER BY c.position) FROM career_strategy_interviews c
        WHERE c.tenant_id = tenant AND c.strategy_id = record), '[]'::jsonb))
    ELSE '{}'::jsonb
  END
$$;
--> statement-breakpoint
-- The events of one statement. TG_ARGV: the entity's name ('person'), whether it has status
-- events ('status'), whether it has child lists ('children'). A status change is
-- `<entity>.status_changed` in place of `.updated`. An update is only an event where a column
-- other than the stamps changed, or, for a record with child lists, where those may have: the
-- commit trigger below settles that.
CREATE OR REPLACE FUNCTION icrm_events_write() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  entity text := TG_ARGV[0];
  has_status boolean := TG_ARGV[1] = 'status';
  has_children boolean := TG_ARGV[2] = 'children';
  tx bigint := pg_current_xact_id()::text::bigint;
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO events AS e (tenant_id, txid, type, entity, entity_id, external_id, version, changed_fields, data)
      SELECT n.tenant_id, tx, entity || '.created', entity, n.id, n.external_id, n.version, NULL, to_jsonb(n) FROM new_rows n
      ON CONFLICT (tenant_id, txid, entity_id) DO UPDATE SET
        type = excluded.type, changed_fields = NULL, external_id = excluded.external_id, version = excluded.version, data = excluded.data;
    INSERT INTO event_commits (tenant_id, txid) SELECT DISTINCT n.tenant_id, tx FROM new_rows n ON CONFLICT DO NOTHING;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO events AS e (tenant_id, txid, type, entity, entity_id, external_id, version, changed_fields, data, children_before)
      SELECT c.tenant_id, tx,
          entity || CASE WHEN has_status AND 'status' = ANY (c.fields) THEN '.status_changed' ELSE '.updated' END,
          entity, c.id, c.external_id, c.version, c.fields, c.after,
          CASE WHEN has_children THEN icrm_event_children(entity, c.tenant_id, c.id) END
        FROM (
          SELECT n.tenant_id, n.id, n.external_id, n.version, j.after,
              ARRAY(SELECT k FROM jsonb_each(j.after) AS f(k, v)
                WHERE v IS DISTINCT FROM j.before -> k AND k NOT IN ('version', 'updated_at') ORDER BY k) AS fields
            FROM new_rows n
            JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
            CROSS JOIN LATERAL (SELECT to_jsonb(n) AS after, to_jsonb(o) AS before) j
        ) c
        WHERE has_children OR cardinality(c.fields) > 0
      ON CONFLICT (tenant_id, txid, entity_id) DO UPDATE SET
        type = CASE
          WHEN e.type LIKE '%.created' OR e.type LIKE '%.status_changed' THEN e.type
          ELSE excluded.type END,
        changed_fields = CASE
          WHEN e.type LIKE '%.created' THEN NULL
          ELSE ARRAY(SELECT DISTINCT f FROM unnest(e.changed_fields || excluded.changed_fields) AS f ORDER BY f) END,
        external_id = excluded.external_id, version = excluded.version, data = excluded.data;
    INSERT INTO event_commits (tenant_id, txid) SELECT DISTINCT n.tenant_id, tx FROM new_rows n ON CONFLICT DO NOTHING;
  ELSE
    INSERT INTO events AS e (tenant_id, txid, type, entity, entity_id, external_id, version, changed_fields, data)
      SELECT o.tenant_id, tx, entity || '.deleted', entity, o.id, o.external_id, o.version, NULL,
          jsonb_build_object('id', o.id, 'external_id', o.external_id)
        FROM old_rows o
      ON CONFLICT (tenant_id, txid, entity_id) DO UPDATE SET
        type = excluded.type, changed_fields = NULL, external_id = excluded.external_id, version = excluded.version,
        data = excluded.data, children_before = NULL;
    INSERT INTO event_commits (tenant_id, txid) SELECT DISTINCT o.tenant_id, tx FROM old_rows o ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- At commit (deferred), once per transaction and tenant: child lists as they are now go into
-- the events' data and, where they changed, into changed_fields; an update that changed
-- nothing after all is dropped; and the transaction takes the tenant's next position. The lock
-- on the tenant's event_heads row is held until the commit completes, so the next transaction
-- of the tenant takes its position only once this one is visible: positions follow commit order.
CREATE OR REPLACE FUNCTION icrm_events_commit() RETURNS trigger
  LANGUAGE plpgsql AS $$
DECLARE
  next_position bigint;
BEGIN
  UPDATE events e SET data = e.data || icrm_event_children(e.entity, e.tenant_id, e.entity_id)
    WHERE e.tenant_id = NEW.tenant_id AND e.txid = NEW.txid AND e.entity IN ('interview', 'career_strategy') AND e.type NOT LIKE '%.deleted';
  UPDATE events e SET children_before = NULL,
      changed_fields = ARRAY(SELECT DISTINCT f FROM unnest(e.changed_fields || ARRAY(
        SELECT k FROM jsonb_object_keys(e.children_before) AS k WHERE e.data -> k IS DISTINCT FROM e.children_before -> k)) AS f ORDER BY f)
    WHERE e.tenant_id = NEW.tenant_id AND e.txid = NEW.txid AND e.children_before IS NOT NULL;
  DELETE FROM events e WHERE e.tenant_id = NEW.tenant_id AND e.txid = NEW.txid AND e.changed_fields = '{}';
  IF NOT EXISTS (SELECT 1 FROM events e WHERE e.tenant_id = NEW.tenant_id AND e.txid = NEW.txid) THEN
    DELETE FROM event_commits c WHERE c.tenant_id = NEW.tenant_id AND c.txid = NEW.txid;
    RETURN NULL;
  END IF;
  INSERT INTO event_heads AS h (tenant_id, last_position) VALUES (NEW.tenant_id, 1)
    ON CONFLICT (tenant_id) DO UPDATE SET last_position = h.last_position + 1
    RETURNING h.last_position INTO next_position;
  UPDATE event_commits c SET position = next_position, committed_at = clock_timestamp()
    WHERE c.tenant_id = NEW.tenant_id AND c.txid = NEW.txid;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE CONSTRAINT TRIGGER event_commits_at_commit AFTER INSERT ON event_commits
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION icrm_events_commit();
--> statement-breakpoint
-- The triggers of every entity table: its name in events, whether a status change is its own
-- type, whether it has child lists. (A new entity table is one row here, in a new migration.)
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT * FROM (VALUES
      ('people', 'person', '', ''),
      ('organizations', 'organization', '', ''),
      ('relationships', 'relationship', '', ''),
      ('interviews', 'interview', 'status', 'children'),
      ('career_strategies', 'career_strategy', '', 'children'),
      ('opportunities', 'opportunity', 'status', ''),
      ('question_templates', 'question_template', '', '')
    ) AS v(tbl, entity, has_status, has_children)
  LOOP
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION icrm_events_write(%L, %L, %L)',
      t.tbl || '_events_insert', t.tbl, t.entity, t.has_status, t.has_children);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION icrm_events_write(%L, %L, %L)',
      t.tbl || '_events_update', t.tbl, t.entity, t.has_status, t.has_children);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION icrm_events_write(%L, %L, %L)',
      t.tbl || '_events_delete', t.tbl, t.entity, t.has_status, t.has_children);
  END LOOP;
END $$;
--> statement-breakpoint
-- The retention sweep's way in: the oldest commits, across tenants.
CREATE INDEX event_commits_committed_idx ON event_commits (committed_at);
--> statement-breakpoint
-- Retention, across tenants, a step at a time: each call removes, of the tenant whose oldest
-- commit is oldest, up to `max_commits` commits older than `keep` with their events, and
-- remembers in event_heads the last (position, seq) removed, so a cursor at or before it is
-- known to have missed events (410) rather than silently skipping them. Each call is its own
-- short transaction, and takes the tenant's head row last: a writer committing meanwhile waits
-- only for the end of the step, never for a whole sweep. Returns the events removed (0: done).
CREATE OR REPLACE FUNCTION icrm_prune_events_step(keep interval, max_commits integer) RETURNS bigint
  LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  removed bigint;
  tenant uuid;
  through bigint;
  through_seq bigint;
BEGIN
  PERFORM set_config('app.sweep', 'on', true);
  SELECT c.tenant_id INTO tenant FROM event_commits c
    WHERE c.committed_at < now() - keep ORDER BY c.committed_at LIMIT 1;
  IF tenant IS NULL THEN
    PERFORM set_config('app.sweep', '', true);
    RETURN 0;
  END IF;
  SELECT max(p.position) INTO through FROM (
    SELECT c.position FROM event_commits c
      WHERE c.tenant_id = tenant AND c.position IS NOT NULL AND c.committed_at < now() - keep
      ORDER BY c.position LIMIT max_commits) p;
  SELECT coalesce(max(e.seq), 0) INTO through_seq FROM event_commits c JOIN events e ON e.tenant_id = c.tenant_id AND e.txid = c.txid
    WHERE c.tenant_id = tenant AND c.position = through;
  DELETE FROM events e USING event_commits c
    WHERE c.tenant_id = tenant AND c.position <= through AND e.tenant_id = c.tenant_id AND e.txid = c.txid;
  GET DIAGNOSTICS removed = ROW_COUNT;
  DELETE FROM event_commits c WHERE c.tenant_id = tenant AND c.position <= through;
  UPDATE event_heads h SET pruned_position = through, pruned_seq = through_seq
    WHERE h.tenant_id = tenant AND through > h.pruned_position;
  PERFORM set_config('app.sweep', '', true);
  -- A commit always holds an event (one left without is deleted at commit): never 0 here.
  RETURN greatest(removed, 1);
END $$;
