import { requireScope, type RequestContext } from '../../context.js';
import type { Db, Executor } from '../../db/client.js';
import { withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { parseInput } from '../shared/validation.js';
import { eventsAfter, feedHead, LAST_SEQ, type FeedPoint, type StoredEvent } from './events.repository.js';
import { pageOf } from '../shared/pagination.js';
import { EVENT_ENTITIES, EventQuery, LATEST, typesOf, type ChangeEvent, type EventEntity, type EventPage } from './events.schemas.js';

/** What the feed needs of each entity's service: its records from stored rows (stored-records.ts). */
interface StoredReader {
  stored: {
    fieldOf(column: string): string;
    records(tx: Executor, tenantId: string, stored: Record<string, unknown>[]): Promise<unknown[]>;
  };
}
type EntityServices = { [K in (typeof EVENT_ENTITIES)[EventEntity]]: StoredReader };

const POINT = /^(\d{1,18})\.(\d{1,19})$/;

const encodePoint = (p: FeedPoint): string => Buffer.from(`${p.position}.${p.seq}`).toString('base64url');

const notACursor = (detail = 'The cursor is not one this feed gave out.') =>
  new AppError('validation_failed', detail, { errors: [{ path: 'query.after', message: 'is not a cursor of this feed' }] });

function decodePoint(value: string): FeedPoint {
  const match = POINT.exec(Buffer.from(value, 'base64url').toString('latin1'));
  if (!match || BigInt(match[2]!) > BigInt(LAST_SEQ)) throw notACursor();
  return { position: BigInt(match[1]!).toString(), seq: BigInt(match[2]!).toString() };
}

const before = (a: FeedPoint, b: FeedPoint): boolean => BigInt(a.position) < BigInt(b.position) || (a.position === b.position && BigInt(a.seq) < BigInt(b.seq));
const furthest = (...points: FeedPoint[]): FeedPoint => points.reduce((a, b) => (before(a, b) ? b : a));

/** A cursor older than what retention kept: 410, saying how to resync. */
const expiredCursor = () =>
  new AppError('cursor_expired', 'This cursor is older than the feed keeps (EVENT_RETENTION_DAYS, 30 days unless set): events after it were removed. Resync: take the nextCursor of GET /v1/events?after=latest, read every list again (GET /v1/people, ...), then follow the feed from that cursor.', {
    extra: { resync: { cursor: '/v1/events?after=latest', then: 'read each collection in full, then follow the feed from that cursor' } },
  });

export function createEventsService(db: Db, services: EntityServices) {
  /** Stored events as the API shows them: each record made by its entity, as a read makes it. */
  async function present(tx: Executor, tenantId: string, rows: StoredEvent[]): Promise<ChangeEvent[]> {
    const data = new Map<StoredEvent, unknown>();
    for (const [entity, collection] of Object.entries(EVENT_ENTITIES) as [EventEntity, keyof EntityServices][]) {
      const live = rows.filter((r) => r.entity === entity && !r.type.endsWith('.deleted'));
      if (live.length === 0) continue;
      const records = await services[collection].stored.records(tx, tenantId, live.map((r) => r.data));
      live.forEach((r, i) => data.set(r, records[i]));
    }
    return rows.map((r) => {
      const reader = services[EVENT_ENTITIES[r.entity as EventEntity]].stored;
      return {
        id: r.id,
        cursor: encodePoint(r),
        type: r.type,
        entity: r.entity as EventEntity,
        entityId: r.entity_id,
        externalId: r.external_id,
        version: r.version,
        occurredAt: new Date(r.occurred_at).toISOString(),
        changedFields: r.changed_fields?.map((c) => reader.fieldOf(c)) ?? null,
        data: (data.get(r) ?? { id: r.data.id, externalId: r.data.external_id ?? null }) as Record<string, unknown>,
      };
    });
  }

  /**
   * A page of the feed after `from` (null: from the oldest kept), `limit` rows at most, and where
   * to read on from: after the last row when the page is full; otherwise past what a type filter
   * left out, up to the head read before the rows (nothing after it was skipped). Retention is
   * checked before the rows are read and again after (a sweep may commit in between): a cursor
   * it passed has lost events, and is `expired`.
   */
  async function feedPage(tx: Executor, tenantId: string, from: FeedPoint | null, limit: number, types: string[] | null) {
    const head = await feedHead(tx, tenantId);
    if (from && BigInt(from.position) > BigInt(head.last)) return { kind: 'past_head' as const };
    if (from && before(from, head.pruned)) return { kind: 'expired' as const, pruned: head.pruned };
    const after = from ?? { position: '0', seq: '0' };
    const rows = await eventsAfter(tx, tenantId, after, limit, types);
    if (from) {
      const pruned = (await feedHead(tx, tenantId)).pruned;
      if (before(from, pruned)) return { kind: 'expired' as const, pruned };
    }
    const last = rows.at(-1);
    const next = rows.length === limit ? last! : furthest(after, ...(last ? [last] : []), head.end);
    return { kind: 'page' as const, rows, next };
  }

  return {
    /**
     * For the webhook worker, in its transaction: the events after `from` of these types, as the
     * API shows them with their place in the feed, and where to read on from. `expired`:
     * retention removed events after `from` (the subscription was away longer than the feed
     * keeps); the events then start after what was removed.
     */
    async readAfter(
      tx: Executor,
      tenantId: string,
      from: FeedPoint,
      limit: number,
      types: string[],
    ): Promise<{ events: { event: ChangeEvent; point: FeedPoint }[]; next: FeedPoint; expired: FeedPoint | null }> {
      let page = await feedPage(tx, tenantId, from, limit, types);
      let expired: FeedPoint | null = null;
      if (page.kind === 'expired') {
        expired = page.pruned;
        page = await feedPage(tx, tenantId, page.pruned, limit, types);
      }
      // (A subscription's point is never past the head, nor expired twice in a row but for a sweep per read.)
      if (page.kind !== 'page') return { events: [], next: expired ?? from, expired };
      const rows = page.rows;
      const events = (await present(tx, tenantId, rows)).map((event, i) => ({ event, point: { position: rows[i]!.position, seq: rows[i]!.seq } }));
      return { events, next: page.next, expired };
    },

    /** The tenant's change feed after a cursor (scope `read`). */
    async list(ctx: RequestContext, rawQuery: unknown): Promise<EventPage> {
      requireScope(ctx, 'read');
      const query = parseInput(EventQuery, rawQuery, 'query');
      const given = query.after && query.after !== LATEST ? decodePoint(query.after) : null;
      return withTenantRead(db, ctx.tenantId, async (tx) => {
        if (query.after === LATEST) {
          return { data: [], nextCursor: encodePoint((await feedHead(tx, ctx.tenantId)).end), hasMore: false };
        }
        const page = await feedPage(tx, ctx.tenantId, given, query.limit + 1, query.types ? typesOf(query.types) : null);
        if (page.kind === 'past_head') throw notACursor('The cursor is past the end of this feed: it is not one this feed gave out.');
        if (page.kind === 'expired') throw expiredCursor();
        const { rows, nextCursor } = pageOf(page.rows, query.limit, encodePoint);
        return { data: await present(tx, ctx.tenantId, rows), nextCursor: nextCursor ?? encodePoint(page.next), hasMore: nextCursor !== null };
      });
    },
  };
}

export type EventsService = ReturnType<typeof createEventsService>;
