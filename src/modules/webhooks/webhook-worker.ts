import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../db/client.js';
import { withTenant, withTenantRead } from '../../db/tenant-transaction.js';
import type { EventsService } from '../events/events.service.js';
import { send } from './webhook-sender.js';
import * as repo from './webhooks.repository.js';
import { signingSecrets } from './webhooks.service.js';

// The delivery worker. Safe with any number of instances: it takes one subscription at a time
// under a lease (icrm_claim_webhook: FOR UPDATE SKIP LOCKED, then the lease), so one worker
// sends a subscription's deliveries, oldest first (in order), and no two send the same one. A
// worker that dies mid-delivery loses its lease when it expires; the next one sends that
// delivery again, with the same webhook-id (at least once). Polling finds work; the claim
// decides who does it, so instances firing together do no harm.

export interface WorkerSettings {
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_ALLOW_PRIVATE: boolean;
  WEBHOOK_POLL_MS: number;
  WEBHOOK_RETRY_BASE_MS: number;
  WEBHOOK_RETRY_FOR_MS: number;
  WEBHOOK_CONCURRENCY: number;
}

interface Claim {
  tenantId: string;
  id: string;
  token: string;
}

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
  const sendOptions = { timeoutMs: settings.WEBHOOK_TIMEOUT_MS, allowPrivate: settings.WEBHOOK_ALLOW_PRIVATE };
  let timer: NodeJS.Timeout | undefined;
  let ticking = false;
  let stopping = false;
  const working = new Set<Promise<void>>();

  const later = (ms: number) => new Date(Date.now() + ms);
  // Each claim is its own owner (a token): a claim of this process that outlived its lease, and
  // a newer claim of the same subscription by this process, are told apart.
  const release = (claim: Claim, nextRunAt: Date) =>
    withTenant(db, claim.tenantId, async (tx) => {
      const hook = await repo.getWebhook(tx, claim.tenantId, claim.id, { lock: true });
      if (hook?.leaseOwner === claim.token) await repo.releaseWebhook(tx, claim.tenantId, claim.id, nextRunAt);
    });
  /** Renews the lease (by the database's clock); null when it is no longer this claim's (expired and taken, deleted, disabled). */
  const renew = (claim: Claim) =>
    withTenant(db, claim.tenantId, async (tx) => {
      const hook = await repo.getWebhook(tx, claim.tenantId, claim.id, { lock: true });
      if (!hook || hook.leaseOwner !== claim.token || hook.status !== 'active') return null;
      return repo.renewLease(tx, claim.tenantId, claim.id, leaseSeconds);
    });

  /** Copies the subscription's next events from the feed into deliveries; how many. */
  const fill = (tenantId: string, id: string) =>
    withTenant(db, tenantId, async (tx) => {
      const hook = (await repo.getWebhook(tx, tenantId, id, { lock: true }))!;
      const { events: found, next, expired } = await events.readAfter(tx, tenantId, { position: String(hook.feedPosition), seq: String(hook.feedSeq) }, FILL, hook.types);
      // Away longer than the feed keeps (disabled for weeks): the receiver is told it missed
      // events and must resync, first in line, before what the feed still holds.
      const gap = expired
        ? [
            {
              tenantId,
              webhookId: id,
              eventId: randomUUID(),
              eventType: 'events.expired',
              position: Number(expired.position),
              seq: 0,
              payload: {
                type: 'events.expired',
                timestamp: new Date().toISOString(),
                data: { detail: 'Events this subscription had not received were removed by retention (EVENT_RETENTION_DAYS). Resync: read every collection in full; what follows this message is complete.' },
              },
              createdAt: new Date(),
            },
          ]
        : [];
      await repo.insertDeliveries(tx, [
        ...gap,
        ...found.map((event) => ({
          tenantId,
          webhookId: id,
          eventId: event.id,
          eventType: event.type,
          position: Number(event.position),
          seq: Number(event.seq),
          // Standard Webhooks' body: the type, when, and the event.
          payload: { type: event.type, timestamp: event.occurredAt, data: (({ position: _p, seq: _s, ...rest }) => rest)(event) },
          createdAt: new Date(),
        })),
      ]);
      const seq = BigInt(next.seq) > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(next.seq);
      await repo.updateWebhook(tx, tenantId, id, { feedPosition: Number(next.position), feedSeq: seq });
      return gap.length + found.length;
    });

  /** Sends what a claimed subscription has due, in order; then gives the lease back. */
  async function work(claim: Claim): Promise<void> {
    const { tenantId, id } = claim;
    for (let sent = 0; sent < PER_CLAIM && !stopping; sent++) {
      let delivery = await withTenantRead(db, tenantId, (tx) => repo.nextPending(tx, tenantId, id));
      if (!delivery) {
        if ((await fill(tenantId, id)) === 0) return release(claim, later(settings.WEBHOOK_POLL_MS));
        delivery = await withTenantRead(db, tenantId, (tx) => repo.nextPending(tx, tenantId, id));
      }
      if (!delivery) return release(claim, later(settings.WEBHOOK_POLL_MS));
      if (delivery.nextAttemptAt > new Date()) return release(claim, delivery.nextAttemptAt);
      const hook = await renew(claim);
      if (!hook) return;
      const attempt = await send(hook.url, delivery.eventId, JSON.stringify(delivery.payload), signingSecrets(hook), sendOptions);
      const kept = await withTenant(db, tenantId, async (tx) => {
        const current = await repo.getWebhook(tx, tenantId, id, { lock: true });
        // Lost meanwhile (expired and taken): the new holder sends it; this attempt is not counted.
        if (!current || current.leaseOwner !== claim.token) return false;
        const now = new Date();
        const first = delivery.firstAttemptAt ?? now;
        const outcome = { attempts: delivery.attempts + 1, firstAttemptAt: first, lastAttemptAt: now, responseStatus: attempt.status, responseBody: attempt.body, durationMs: attempt.durationMs, error: attempt.error };
        if (attempt.ok) {
          await repo.updateDelivery(tx, tenantId, delivery.id, { ...outcome, status: 'succeeded' });
        } else if (now.getTime() - first.getTime() >= settings.WEBHOOK_RETRY_FOR_MS) {
          await repo.updateDelivery(tx, tenantId, delivery.id, { ...outcome, status: 'failed' });
          const reason = `delivery ${delivery.id} (event ${delivery.eventId}) failed for ${Math.round(settings.WEBHOOK_RETRY_FOR_MS / 60_000)} minutes, ${outcome.attempts} attempts; last: ${attempt.error}`;
          await repo.updateWebhook(tx, tenantId, id, { status: 'disabled', disabledReason: reason.slice(0, 1000), disabledAt: now, leaseOwner: null, leaseUntil: null, updatedAt: now, version: current.version + 1 });
          log.warn({ webhookId: id, tenantId, deliveryId: delivery.id }, 'webhook disabled: a delivery failed for the whole retry window');
          return false;
        } else {
          await repo.updateDelivery(tx, tenantId, delivery.id, { ...outcome, nextAttemptAt: later(backoffMs(outcome.attempts, settings.WEBHOOK_RETRY_BASE_MS)) });
        }
        return true;
      });
      if (!kept) return;
    }
    // More may be due: let this or another worker claim it again at once.
    await release(claim, new Date());
  }

  async function tick(): Promise<void> {
    if (ticking) return;
    ticking = true;
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
    } finally {
      ticking = false;
    }
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
      await Promise.allSettled([...working]);
    },
    /** One round now (tests). */
    tick,
  };
}
