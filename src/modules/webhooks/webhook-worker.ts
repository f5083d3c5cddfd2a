import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db, Tx } from '../../db/client.js';
import type { Config } from '../../config.js';
import { webhooks } from '../../db/schema/index.js';
import { withTenant, withTenantRead } from '../../db/tenant-transaction.js';
import type { EventsService } from '../events/events.service.js';
import { changeStamp } from '../shared/records.js';
import { deliver, webhookBody, type Attempt } from './webhook-sender.js';
import * as repo from './webhooks.repository.js';
import type { DeliveryRow, NewDelivery, WebhookRow } from './webhooks.repository.js';

// The delivery worker. Safe with any number of instances: it takes one subscription at a time
// under a lease (icrm_claim_webhook: FOR UPDATE SKIP LOCKED, then the lease), so one worker
// sends a subscription's deliveries, oldest first (in order), and no two send the same one. A
// worker that dies mid-delivery loses its lease when it expires; the next one sends that
// delivery again, with the same webhook-id (at least once). Polling finds work; the claim
// decides who does it, so instances firing together do no harm.

type WorkerSettings = Pick<
  Config,
  'WEBHOOK_TIMEOUT_MS' | 'WEBHOOK_ALLOW_PRIVATE' | 'WEBHOOK_POLL_MS' | 'WEBHOOK_RETRY_BASE_MS' | 'WEBHOOK_RETRY_FOR_MS' | 'WEBHOOK_CONCURRENCY'
>;

interface Claim {
  tenantId: string;
  id: string;
  token: string;
}

/** The delivery that tells a receiver retention removed events it had not received. */
const EXPIRED = 'events.expired';
const EXPIRED_DETAIL =
  'Events this subscription had not received were removed by retention (EVENT_RETENTION_DAYS). Resync: read every collection in full; what follows this message is complete.';

/** Events copied into deliveries at a time. */
const FILL = 100;
/** Deliveries one claim sends before it lets others have a turn. */
const PER_CLAIM = 25;
/** The longest wait between two attempts. */
const MAX_BACKOFF_MS = 3_600_000;

/** The wait before attempt `attempts + 1`: exponential, capped, with jitter (half to all of it). */
export const backoffMs = (attempts: number, baseMs: number, random = Math.random()): number =>
  Math.round(Math.min(baseMs * 2 ** Math.max(0, attempts - 1), MAX_BACKOFF_MS) * (0.5 + random / 2));

export function createWebhookWorker(db: Db, events: EventsService, settings: WorkerSettings, log: FastifyBaseLogger) {
  const instance = `${process.pid}-${randomUUID().slice(0, 8)}`;
  // A lease outlives one attempt (it is renewed before each), with room for the bookkeeping.
  const leaseSeconds = settings.WEBHOOK_TIMEOUT_MS / 1000 + 5;
  let timer: NodeJS.Timeout | undefined;
  /** The round looking for work now, if any: a stop waits for it, then for what it started. */
  let ticking: Promise<void> | null = null;
  let stopping = false;
  const working = new Set<Promise<void>>();

  const later = (ms: number) => new Date(Date.now() + ms);

  /**
   * `work` in the tenant, on the subscription locked, if this claim still holds its lease (each
   * claim is its own token: a claim of this process that outlived its lease and a newer claim of
   * the same subscription are told apart); otherwise nothing, and null.
   */
  const asHolder = <T>(claim: Claim, work: (tx: Tx, hook: WebhookRow) => Promise<T>): Promise<T | null> =>
    withTenant(db, claim.tenantId, async (tx) => {
      const hook = await repo.getWebhook(tx, claim.tenantId, claim.id, { lock: true });
      return hook?.leaseOwner === claim.token ? work(tx, hook) : null;
    });
  const release = (claim: Claim, nextRunAt: Date) => withTenant(db, claim.tenantId, (tx) => repo.releaseWebhook(tx, claim.tenantId, claim.id, claim.token, nextRunAt));
  /** The lease renewed before an attempt; undefined when it is no longer this claim's, or the subscription was disabled. */
  const renew = (claim: Claim) => withTenant(db, claim.tenantId, (tx) => repo.renewLease(tx, claim.tenantId, claim.id, claim.token, leaseSeconds));

  /** Copies the subscription's next events from the feed into deliveries; how many. */
  const fill = (claim: Claim) =>
    asHolder(claim, async (tx, hook) => {
      const { tenantId, id: webhookId } = claim;
      const { events: found, next, expired } = await events.readAfter(tx, tenantId, { position: String(hook.feedPosition), seq: String(hook.feedSeq) }, FILL, hook.types);
      // Away longer than the feed keeps (disabled for weeks): the receiver is told it missed
      // events and must resync, first in line, before what the feed still holds.
      const gap: NewDelivery[] = expired
        ? [{ tenantId, webhookId, eventId: randomUUID(), eventType: EXPIRED, position: Number(expired.position), seq: 0, payload: webhookBody(EXPIRED, { detail: EXPIRED_DETAIL }) }]
        : [];
      await repo.insertDeliveries(tx, [
        ...gap,
        ...found.map(({ event, point }) => ({
          tenantId,
          webhookId,
          eventId: event.id,
          eventType: event.type,
          position: Number(point.position),
          seq: Number(point.seq),
          payload: webhookBody(event.type, event, event.occurredAt),
        })),
      ]);
      // Nothing new (the usual poll): the subscription's point stays, unwritten.
      if (BigInt(next.position) !== hook.feedPosition || BigInt(next.seq) !== hook.feedSeq)
        await repo.updateWebhook(tx, tenantId, webhookId, { feedPosition: BigInt(next.position), feedSeq: BigInt(next.seq) });
      return gap.length + found.length;
    });

  /** One attempt's outcome recorded, if the claim still holds; whether to go on. */
  const record = (claim: Claim, delivery: DeliveryRow, attempt: Attempt) =>
    asHolder(claim, async (tx) => {
      const { tenantId, id } = claim;
      const now = new Date();
      const first = delivery.firstAttemptAt ?? now;
      const outcome = { attempts: delivery.attempts + 1, firstAttemptAt: first, lastAttemptAt: now, responseStatus: attempt.status, responseBody: attempt.body, durationMs: attempt.durationMs, error: attempt.error };
      if (attempt.ok) {
        await repo.updateDelivery(tx, tenantId, delivery.id, { ...outcome, status: 'succeeded' });
        return true;
      }
      if (now.getTime() - first.getTime() < settings.WEBHOOK_RETRY_FOR_MS) {
        await repo.updateDelivery(tx, tenantId, delivery.id, { ...outcome, nextAttemptAt: later(backoffMs(outcome.attempts, settings.WEBHOOK_RETRY_BASE_MS)) });
        return true;
      }
      await repo.updateDelivery(tx, tenantId, delivery.id, { ...outcome, status: 'failed' });
      const reason = `delivery ${delivery.id} (event ${delivery.eventId}) failed for ${Math.round(settings.WEBHOOK_RETRY_FOR_MS / 60_000)} minutes, ${outcome.attempts} attempts; last: ${attempt.error}`;
      await repo.updateWebhook(tx, tenantId, id, { status: 'disabled', disabledReason: reason.slice(0, 1000), disabledAt: now, leaseOwner: null, leaseUntil: null, ...changeStamp(webhooks) });
      log.warn({ webhookId: id, tenantId, deliveryId: delivery.id }, 'webhook disabled: a delivery failed for the whole retry window');
      return false;
    });

  /** Sends what a claimed subscription has due, in order; then gives the lease back. */
  async function work(claim: Claim): Promise<void> {
    const { tenantId, id } = claim;
    const nextPending = () => withTenantRead(db, tenantId, (tx) => repo.nextPending(tx, tenantId, id));
    for (let sent = 0; sent < PER_CLAIM && !stopping; sent++) {
      let delivery = await nextPending();
      if (!delivery && (await fill(claim))) delivery = await nextPending();
      if (!delivery) return void (await release(claim, later(settings.WEBHOOK_POLL_MS)));
      if (delivery.nextAttemptAt > new Date()) return void (await release(claim, delivery.nextAttemptAt));
      const hook = await renew(claim);
      if (!hook) return;
      const attempt = await deliver(hook, delivery.eventId, delivery.payload, settings);
      // Lost meanwhile (expired and taken: the new holder sends it), or disabled: stop.
      if (!(await record(claim, delivery, attempt))) return;
    }
    // More may be due: let this or another worker claim it again at once.
    await release(claim, new Date());
  }

  async function lookForWork(): Promise<void> {
    try {
      while (!stopping && working.size < settings.WEBHOOK_CONCURRENCY) {
        const token = `${instance}-${randomUUID()}`;
        const claimed = await repo.claimWebhook(db, token, leaseSeconds);
        if (!claimed) break;
        const job: Promise<void> = work({ ...claimed, token })
          .catch((err: unknown) => log.warn({ err, webhookId: claimed.id }, 'webhook worker: a round failed; the lease expires and it is tried again'))
          .finally(() => working.delete(job));
        working.add(job);
      }
    } catch (err) {
      log.warn({ err }, 'webhook worker: could not look for work; retrying next round');
    }
  }

  function tick(): Promise<void> {
    ticking ??= lookForWork().finally(() => (ticking = null));
    return ticking;
  }

  return {
    instance,
    start(): void {
      stopping = false;
      timer = setInterval(() => void tick(), settings.WEBHOOK_POLL_MS);
      timer.unref();
      void tick();
    },
    /** Stops claiming, and waits for the deliveries in flight (each ends within its timeout). */
    async stop(): Promise<void> {
      stopping = true;
      clearInterval(timer);
      // A claim taken by the round in progress is among the work to wait for once it ends.
      await ticking;
      await Promise.allSettled([...working]);
    },
  };
}
