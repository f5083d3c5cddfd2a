import { sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';

// The change feed as stored (drizzle/0010_event_triggers.sql). Positions and sequence numbers
// are bigints: they stay decimal strings here, never JavaScript numbers.

/** A point in the feed: after event `seq` of the commit at `position`. */
export interface FeedPoint {
  position: string;
  seq: string;
}

/** The last seq of any commit (bigint's largest): (position, LAST_SEQ) is after all of commit `position`. */
export const LAST_SEQ = '9223372036854775807';

export interface StoredEvent {
  position: string;
  seq: string;
  id: string;
  type: string;
  entity: string;
  entity_id: string;
  external_id: string | null;
  version: number;
  occurred_at: string;
  changed_fields: string[] | null;
  data: Record<string, unknown>;
}

interface FeedHead {
  /** The last position committed. */
  last: string;
  /** After everything committed so far: where a reader starting now starts. */
  end: FeedPoint;
  pruned: FeedPoint;
}

/** The tenant's head (the last position committed) and how far retention has removed the feed. */
export async function feedHead(db: Executor, tenantId: string): Promise<FeedHead> {
  const [row] = rowsOf<{ last: string; pruned_position: string; pruned_seq: string }>(
    await db.execute(sql`select last_position::text as last, pruned_position::text, pruned_seq::text from event_heads where tenant_id = ${tenantId}`),
  );
  const last = row?.last ?? '0';
  return { last, end: { position: last, seq: LAST_SEQ }, pruned: row ? { position: row.pruned_position, seq: row.pruned_seq } : { position: '0', seq: '0' } };
}

/**
 * The first `limit` events after `after`, in commit order (then in the order the transaction
 * wrote them). Only committed transactions have a position: whatever commits later takes a
 * greater one, so nothing ever appears behind a point already read.
 */
export async function eventsAfter(db: Executor, tenantId: string, after: FeedPoint, limit: number, types: string[] | null): Promise<StoredEvent[]> {
  // A wildcard (`person.*`) is the entity's every type.
  const exact = types?.filter((t) => !t.endsWith('.*')) ?? [];
  const entities = types?.filter((t) => t.endsWith('.*')).map((t) => t.slice(0, -2)) ?? [];
  const filter = types ? sql`and (e.type = any(${sql.param(exact)}::text[]) or e.entity = any(${sql.param(entities)}::text[]))` : sql``;
  return rowsOf<StoredEvent>(
    await db.execute(sql`
      select c.position::text, e.seq::text, e.id, e.type, e.entity, e.entity_id, e.external_id, e.version,
             e.occurred_at, e.changed_fields, e.data
        from event_commits c
        join events e on e.tenant_id = c.tenant_id and e.txid = c.txid
       where c.tenant_id = ${tenantId} and c.position is not null
         and (c.position > ${after.position}::bigint or (c.position = ${after.position}::bigint and e.seq > ${after.seq}::bigint))
         ${filter}
       order by c.position, e.seq
       limit ${limit}`),
  );
}

/** Commits one retention step removes at most (each step is its own short transaction). */
const PRUNE_STEP_COMMITS = 200;
/** Steps one sweep takes at most; the next sweep goes on. */
const PRUNE_MAX_STEPS = 1000;

/** Removes, in every tenant, the commits (and their events) older than `keepSeconds`, step by step; how many events went. */
export async function pruneEvents(db: Executor, keepSeconds: number, stepCommits = PRUNE_STEP_COMMITS): Promise<number> {
  let removed = 0;
  for (let step = 0; step < PRUNE_MAX_STEPS; step++) {
    const [row] = rowsOf<{ removed: string }>(
      await db.execute(sql`select icrm_prune_events_step(make_interval(secs => ${keepSeconds}), ${stepCommits}) as removed`),
    );
    const n = Number(row?.removed ?? 0);
    if (n === 0) break;
    removed += n;
  }
  return removed;
}
