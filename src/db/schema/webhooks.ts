import { sql } from 'drizzle-orm';
import { bigint, foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { checkIn, createdAt, tenantFk, tenantId, timestamptz } from './columns.js';

// Webhook subscriptions and their deliveries (src/modules/webhooks). The worker takes a
// subscription under a lease (lease_owner, lease_until: a worker that dies loses it when it
// expires, and another redelivers), copies the feed's next events into deliveries, and sends
// them one at a time, oldest first: in order per subscription, at least once.

export const webhookStatuses = ['active', 'disabled'] as const;
export const deliveryStatuses = ['pending', 'succeeded', 'failed'] as const;

export const webhooks = pgTable(
  'webhooks',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    url: text('url').notNull(),
    /** Event types, or `<entity>.*`. */
    types: text('types').array().notNull(),
    description: text('description'),
    status: text('status', { enum: webhookStatuses }).notNull().default('active'),
    disabledReason: text('disabled_reason'),
    disabledAt: timestamptz('disabled_at'),
    /** Signing secrets (whsec_…): kept to sign, never shown after creation or rotation. */
    secret: text('secret').notNull(),
    previousSecret: text('previous_secret'),
    previousSecretExpiresAt: timestamptz('previous_secret_expires_at'),
    /** Where the subscription is in the feed: the last event copied into a delivery (or the head). */
    feedPosition: bigint('feed_position', { mode: 'bigint' }).notNull(),
    feedSeq: bigint('feed_seq', { mode: 'bigint' }).notNull(),
    /** When the worker next looks at it. */
    nextRunAt: timestamptz('next_run_at').notNull().defaultNow(),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamptz('lease_until'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
    version: integer('version').notNull().default(1),
  },
  (t) => [
    primaryKey({ name: 'webhooks_pkey', columns: [t.tenantId, t.id] }),
    tenantFk('webhooks', t),
    checkIn('webhooks_status_check', t.status, webhookStatuses),
    // The worker's queue, across tenants: only active subscriptions are ever claimed.
    index('webhooks_next_run_idx').on(t.nextRunAt).where(sql`status = 'active'`),
  ],
);

export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    webhookId: uuid('webhook_id').notNull(),
    /** The event's id: the `webhook-id` of every attempt. */
    eventId: uuid('event_id').notNull(),
    eventType: text('event_type').notNull(),
    /** Its place in the feed: deliveries go out in this order. */
    position: bigint('position', { mode: 'number' }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    /** The body sent, the same on every attempt. */
    payload: jsonb('payload').notNull(),
    status: text('status', { enum: deliveryStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamptz('next_attempt_at').notNull().defaultNow(),
    firstAttemptAt: timestamptz('first_attempt_at'),
    lastAttemptAt: timestamptz('last_attempt_at'),
    responseStatus: integer('response_status'),
    /** At most 1 KB of the last response. */
    responseBody: text('response_body'),
    durationMs: integer('duration_ms'),
    error: text('error'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'webhook_deliveries_pkey', columns: [t.tenantId, t.id] }),
    tenantFk('webhook_deliveries', t),
    foreignKey({ name: 'webhook_deliveries_webhook_fk', columns: [t.tenantId, t.webhookId], foreignColumns: [webhooks.tenantId, webhooks.id] }).onDelete('cascade'),
    checkIn('webhook_deliveries_status_check', t.status, deliveryStatuses),
    // The next to send (pending, in feed order), and a subscription's list (newest first).
    index('webhook_deliveries_pending_idx').on(t.tenantId, t.webhookId, t.position, t.seq).where(sql`status = 'pending'`),
    index('webhook_deliveries_list_idx').on(t.tenantId, t.webhookId, t.createdAt, t.id),
  ],
);
