import { randomBytes, randomUUID } from 'node:crypto';
import { requireScope, type RequestContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { webhooks } from '../../db/schema/index.js';
import { withTenant, withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { once, type IdempotencyRequest } from '../idempotency/idempotency.service.js';
import { feedHead } from '../events/events.repository.js';
import { isUuid } from '../shared/common.schemas.js';
import { canonical } from '../shared/merge-patch.js';
import { decodeCursor, encodeCursor, pageOf } from '../shared/pagination.js';
import { changeStamp, iso } from '../shared/records.js';
import { invalid, parseInput } from '../shared/validation.js';
import { checkResolved, RefusedTarget, urlProblem } from './target-safety.js';
import { deliver, signingSecrets, webhookBody, type SenderSettings } from './webhook-sender.js';
import * as repo from './webhooks.repository.js';
import type { DeliveryRow, WebhookRow } from './webhooks.repository.js';
import { DeliveryQuery, RotateSecretInput, WebhookInput, WebhookPatch, type Delivery, type Webhook } from './webhooks.schemas.js';

/** At most this many subscriptions per tenant: each is polled by the worker. */
const MAX_WEBHOOKS = 50;

/** A Standard Webhooks secret: `whsec_` and 32 random bytes in base64. */
const newSecret = (): string => `whsec_${randomBytes(32).toString('base64')}`;

/** What a PATCH may change. */
const editable = (row: WebhookRow) => ({ url: row.url, types: row.types, description: row.description, status: row.status });

const toWebhook = (row: WebhookRow): Webhook => ({
  id: row.id,
  url: row.url,
  types: row.types,
  description: row.description,
  status: row.status,
  disabledReason: row.disabledReason,
  disabledAt: iso(row.disabledAt),
  // Shown while it still signs.
  previousSecretExpiresAt: signingSecrets(row).length > 1 ? iso(row.previousSecretExpiresAt) : null,
  createdAt: iso(row.createdAt)!,
  updatedAt: iso(row.updatedAt)!,
  version: row.version,
});

const toDelivery = (row: DeliveryRow): Delivery => ({
  id: row.id,
  webhookId: row.webhookId,
  eventId: row.eventId,
  eventType: row.eventType,
  status: row.status,
  attempts: row.attempts,
  responseStatus: row.responseStatus,
  responseBody: row.responseBody,
  durationMs: row.durationMs,
  error: row.error,
  createdAt: iso(row.createdAt)!,
  lastAttemptAt: iso(row.lastAttemptAt),
  nextAttemptAt: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
});

export function createWebhooksService(db: Db, settings: SenderSettings) {
  const notFound = (id: string) => new AppError('not_found', `No webhook ${id}.`);

  /** A target URL: https, no credentials, and (after name resolution) a public address. */
  async function checkUrl(url: string): Promise<void> {
    const problem = urlProblem(url, settings.WEBHOOK_ALLOW_PRIVATE);
    if (problem) throw invalid([{ path: 'url', message: problem }]);
    try {
      await checkResolved(new URL(url).hostname, settings.WEBHOOK_ALLOW_PRIVATE);
    } catch (err) {
      if (err instanceof RefusedTarget) throw invalid([{ path: 'url', message: `is refused: ${err.message} (server-side request forgery)` }]);
      throw err;
    }
  }

  const admin = (ctx: RequestContext) => requireScope(ctx, 'admin');
  const validId = (id: string) => {
    if (!isUuid(id)) throw notFound(id);
    return id.toLowerCase();
  };

  return {
    async list(ctx: RequestContext): Promise<{ data: Webhook[] }> {
      admin(ctx);
      return { data: (await withTenantRead(db, ctx.tenantId, (tx) => repo.listWebhooks(tx, ctx.tenantId))).map(toWebhook) };
    },

    async get(ctx: RequestContext, id: string): Promise<Webhook> {
      admin(ctx);
      const row = await withTenantRead(db, ctx.tenantId, (tx) => repo.getWebhook(tx, ctx.tenantId, validId(id)));
      if (!row) throw notFound(id);
      return toWebhook(row);
    },

    /**
     * A new subscription, from the feed's head on: its secret is in this answer only. A replay of
     * the same Idempotency-Key answers without the secret: the remembered answer never holds it.
     */
    async create(ctx: RequestContext, raw: unknown, options: { idempotency?: IdempotencyRequest } = {}): Promise<{ record: Webhook & { secret?: string }; replayed: boolean }> {
      admin(ctx);
      const input = parseInput(WebhookInput, raw);
      await checkUrl(input.url);
      return withTenant(db, ctx.tenantId, async (tx) => {
        const { value, replayed } = await once<Webhook & { secret?: string }>(
          tx,
          ctx,
          options.idempotency,
          async () => {
            // Counted under the tenant's lock, so two creates at once cannot both take the 50th place.
            await repo.lockTenantWebhooks(tx, ctx.tenantId);
            if ((await repo.countWebhooks(tx, ctx.tenantId)) >= MAX_WEBHOOKS) throw new AppError('conflict', `A tenant has at most ${MAX_WEBHOOKS} webhooks; delete one first.`);
            const secret = newSecret();
            // From the head on: after every event committed so far.
            const { end } = await feedHead(tx, ctx.tenantId);
            const row = await repo.insertWebhook(tx, {
              tenantId: ctx.tenantId,
              url: input.url,
              types: input.types,
              description: input.description,
              secret,
              feedPosition: BigInt(end.position),
              feedSeq: BigInt(end.seq),
            });
            return { ...toWebhook(row), secret };
          },
          ({ secret: _secret, ...kept }) => kept,
        );
        return { record: value, replayed };
      });
    },

    async update(ctx: RequestContext, id: string, raw: unknown): Promise<Webhook> {
      admin(ctx);
      const patch = parseInput(WebhookPatch, raw);
      if (patch.url !== undefined) await checkUrl(patch.url);
      const row = await withTenant(db, ctx.tenantId, async (tx) => {
        const current = await repo.getWebhook(tx, ctx.tenantId, validId(id), { lock: true });
        if (!current) throw notFound(id);
        const next = { ...editable(current), ...Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) };
        // A patch that changes nothing writes nothing and keeps the version (api.md).
        if (canonical(next) === canonical(editable(current))) return current;
        const enabling = next.status === 'active' && current.status !== 'active';
        // Enabled again: what waited gets a whole retry window from now, not the rest of an old one.
        if (enabling) await repo.restartPending(tx, ctx.tenantId, current.id);
        return repo.updateWebhook(tx, ctx.tenantId, current.id, {
          ...next,
          ...(next.status === 'disabled' && current.status !== 'disabled' ? { disabledReason: `disabled by API key ${ctx.apiKey.name}`, disabledAt: new Date() } : {}),
          ...(enabling ? { disabledReason: null, disabledAt: null, nextRunAt: new Date() } : {}),
          ...changeStamp(webhooks),
        });
      });
      return toWebhook(row!);
    },

    async remove(ctx: RequestContext, id: string): Promise<void> {
      admin(ctx);
      const gone = await withTenant(db, ctx.tenantId, (tx) => repo.deleteWebhook(tx, ctx.tenantId, validId(id)));
      if (!gone) throw notFound(id);
    },

    /** A new secret; the one it replaces still signs, beside it, for the overlap. */
    async rotateSecret(ctx: RequestContext, id: string, raw: unknown): Promise<{ secret: string; previousSecretExpiresAt: string | null }> {
      admin(ctx);
      const { overlapSeconds } = parseInput(RotateSecretInput, raw ?? {});
      const secret = newSecret();
      const row = await withTenant(db, ctx.tenantId, async (tx) => {
        const current = await repo.getWebhook(tx, ctx.tenantId, validId(id), { lock: true });
        if (!current) throw notFound(id);
        const until = overlapSeconds > 0 ? new Date(Date.now() + overlapSeconds * 1000) : null;
        return repo.updateWebhook(tx, ctx.tenantId, current.id, {
          secret,
          previousSecret: until ? current.secret : null,
          previousSecretExpiresAt: until,
          ...changeStamp(webhooks),
        });
      });
      return { secret, previousSecretExpiresAt: iso(row!.previousSecretExpiresAt) };
    },

    /** Sends a `webhook.test` event now, signed like any delivery, and keeps it among the deliveries. */
    async test(ctx: RequestContext, id: string): Promise<Delivery> {
      admin(ctx);
      const hook = await withTenantRead(db, ctx.tenantId, (tx) => repo.getWebhook(tx, ctx.tenantId, validId(id)));
      if (!hook) throw notFound(id);
      const eventId = randomUUID();
      const payload = webhookBody('webhook.test', { webhookId: hook.id });
      const attempt = await deliver(hook, eventId, payload, settings);
      const now = new Date();
      const [row] = await withTenant(db, ctx.tenantId, (tx) =>
        repo.insertDeliveries(tx, [
          {
            tenantId: ctx.tenantId,
            webhookId: hook.id,
            eventId,
            eventType: 'webhook.test',
            position: 0,
            seq: 0,
            payload,
            status: attempt.ok ? 'succeeded' : 'failed',
            attempts: 1,
            firstAttemptAt: now,
            lastAttemptAt: now,
            responseStatus: attempt.status,
            responseBody: attempt.body,
            durationMs: attempt.durationMs,
            error: attempt.error,
          },
        ]),
      );
      return toDelivery(row!);
    },

    /** A subscription's deliveries, newest first. */
    async deliveries(ctx: RequestContext, id: string, rawQuery: unknown): Promise<{ data: Delivery[]; nextCursor: string | null }> {
      admin(ctx);
      const query = parseInput(DeliveryQuery, rawQuery, 'query');
      const after = query.cursor ? decodeCursor(query.cursor) : undefined;
      return withTenantRead(db, ctx.tenantId, async (tx) => {
        const hook = await repo.getWebhook(tx, ctx.tenantId, validId(id));
        if (!hook) throw notFound(id);
        const { rows, nextCursor } = pageOf(await repo.listDeliveries(tx, ctx.tenantId, hook.id, query.limit + 1, after), query.limit, encodeCursor);
        return { data: rows.map(toDelivery), nextCursor };
      });
    },

    /**
     * Sends a delivery again: a new delivery of the same event (same webhook-id, same body),
     * queued first in line. The subscription must be active.
     */
    async redeliver(ctx: RequestContext, deliveryId: string): Promise<Delivery> {
      admin(ctx);
      const row = await withTenant(db, ctx.tenantId, async (tx) => {
        const original = await repo.getDelivery(tx, ctx.tenantId, deliveryId);
        if (!original) throw new AppError('not_found', `No delivery ${deliveryId}.`);
        const hook = await repo.getWebhook(tx, ctx.tenantId, original.webhookId, { lock: true });
        if (hook!.status !== 'active') throw new AppError('conflict', 'The webhook is disabled: set its status to active first (PATCH /v1/webhooks/{id}).');
        const [copy] = await repo.insertDeliveries(tx, [
          {
            tenantId: ctx.tenantId,
            webhookId: original.webhookId,
            eventId: original.eventId,
            eventType: original.eventType,
            // First in line: before anything the feed queued.
            position: 0,
            seq: 0,
            payload: original.payload,
          },
        ]);
        await repo.updateWebhook(tx, ctx.tenantId, hook!.id, { nextRunAt: new Date() });
        return copy!;
      });
      return toDelivery(row);
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
