import { and, desc, eq, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { rowsOf, type Executor } from '../../db/client.js';
import { webhookDeliveries, webhooks } from '../../db/schema/index.js';
import { afterCursor, type Cursor } from '../shared/pagination.js';

export type WebhookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;

const own = (tenantId: string, id: string) => and(eq(webhooks.tenantId, tenantId), eq(webhooks.id, id));
/** The subscription, while the claim `token` holds its lease. */
const held = (tenantId: string, id: string, token: string) => and(own(tenantId, id), eq(webhooks.leaseOwner, token));

/** Serializes a tenant's creates until the transaction ends (the count against the limit). */
export const lockTenantWebhooks = (db: Executor, tenantId: string) => db.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`webhooks:${tenantId}`}, 0))`);

export const listWebhooks = (db: Executor, tenantId: string) =>
  db.select().from(webhooks).where(eq(webhooks.tenantId, tenantId)).orderBy(webhooks.createdAt, webhooks.id);

export const countWebhooks = async (db: Executor, tenantId: string): Promise<number> =>
  (await db.select({ n: sql<number>`count(*)::int` }).from(webhooks).where(eq(webhooks.tenantId, tenantId)))[0]!.n;

export const getWebhook = async (db: Executor, tenantId: string, id: string, options: { lock?: boolean } = {}): Promise<WebhookRow | undefined> => {
  const query = db.select().from(webhooks).where(own(tenantId, id));
  return (await (options.lock ? query.for('update') : query))[0];
};

export const insertWebhook = async (db: Executor, values: typeof webhooks.$inferInsert): Promise<WebhookRow> =>
  (await db.insert(webhooks).values(values).returning())[0]!;

export const updateWebhook = async (db: Executor, tenantId: string, id: string, set: PgUpdateSetSource<typeof webhooks>): Promise<WebhookRow | undefined> =>
  (await db.update(webhooks).set(set).where(own(tenantId, id)).returning())[0];

export const deleteWebhook = async (db: Executor, tenantId: string, id: string): Promise<boolean> =>
  (await db.delete(webhooks).where(own(tenantId, id)).returning({ id: webhooks.id })).length > 0;

/**
 * Gives the lease of claim `token` back (nothing if it no longer holds it), to be claimed again
 * at `nextRunAt`, or sooner if a pending delivery is due sooner (a redelivery queued meanwhile
 * is not left waiting for a backoff).
 */
export const releaseWebhook = (db: Executor, tenantId: string, id: string, token: string, nextRunAt: Date) =>
  db
    .update(webhooks)
    .set({
      leaseOwner: null,
      leaseUntil: null,
      nextRunAt: sql`least(${nextRunAt}::timestamptz, (select min(d.next_attempt_at) from ${webhookDeliveries} d
        where d.tenant_id = ${tenantId} and d.webhook_id = ${id} and d.status = 'pending'))`,
    })
    .where(held(tenantId, id, token));

/** A subscription enabled again: its waiting deliveries start their retry window afresh, now. */
export const restartPending = (db: Executor, tenantId: string, webhookId: string) =>
  db
    .update(webhookDeliveries)
    .set({ firstAttemptAt: null, nextAttemptAt: sql`now()` })
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, 'pending')));

/**
 * The lease of claim `token` for `seconds` more, by the database's clock (the one the claim
 * compares with); undefined when the claim no longer holds it, or the subscription was disabled.
 */
export const renewLease = async (db: Executor, tenantId: string, id: string, token: string, seconds: number): Promise<WebhookRow | undefined> =>
  (
    await db
      .update(webhooks)
      .set({ leaseUntil: sql`now() + make_interval(secs => ${seconds})` })
      .where(and(held(tenantId, id, token), eq(webhooks.status, 'active')))
      .returning()
  )[0];

export type NewDelivery = typeof webhookDeliveries.$inferInsert;

export const insertDeliveries = async (db: Executor, rows: NewDelivery[]): Promise<DeliveryRow[]> =>
  rows.length ? db.insert(webhookDeliveries).values(rows).returning() : [];

/** A subscription's next delivery to send: pending, first in feed order. */
export const nextPending = async (db: Executor, tenantId: string, webhookId: string): Promise<DeliveryRow | undefined> =>
  (
    await db
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.webhookId, webhookId), eq(webhookDeliveries.status, 'pending')))
      // Redeliveries share position 0: among them, the first asked for.
      .orderBy(webhookDeliveries.position, webhookDeliveries.seq, webhookDeliveries.createdAt, webhookDeliveries.id)
      .limit(1)
  )[0];

export const getDelivery = async (db: Executor, tenantId: string, id: string): Promise<DeliveryRow | undefined> =>
  (await db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id))))[0];

export const updateDelivery = async (db: Executor, tenantId: string, id: string, set: Partial<typeof webhookDeliveries.$inferInsert>): Promise<DeliveryRow> =>
  (await db.update(webhookDeliveries).set(set).where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.id, id))).returning())[0]!;

/** A subscription's deliveries, newest first, after (older than) the one a cursor names. */
export const listDeliveries = (db: Executor, tenantId: string, webhookId: string, limit: number, after?: Cursor) =>
  db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.tenantId, tenantId), eq(webhookDeliveries.webhookId, webhookId), after ? afterCursor(webhookDeliveries, tenantId, after, 'desc') : undefined))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(limit);

/** The worker's claim (drizzle/0012): a due subscription, across tenants, under a lease. */
export const claimWebhook = async (db: Executor, owner: string, leaseSeconds: number): Promise<{ tenantId: string; id: string } | null> => {
  const [row] = rowsOf<{ claimed_tenant: string; claimed_id: string }>(await db.execute(sql`select * from icrm_claim_webhook(${owner}, ${leaseSeconds})`));
  return row ? { tenantId: row.claimed_tenant, id: row.claimed_id } : null;
};

/** Removes, in every tenant, the finished deliveries older than `keepSeconds` (drizzle/0012); how many. */
export async function pruneDeliveries(db: Executor, keepSeconds: number): Promise<number> {
  const [row] = rowsOf<{ removed: number }>(await db.execute(sql`select icrm_prune_deliveries(make_interval(secs => ${keepSeconds})) as removed`));
  return Number(row?.removed ?? 0);
}
