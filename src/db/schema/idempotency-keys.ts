import { index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { checkIn, createdAt, tenantFk, tenantId, timestamptz } from './columns.js';

export const idempotencyStatuses = ['running', 'done'] as const;

// The first response to a POST with an Idempotency-Key, replayed to retries until it expires.
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: tenantId(),
    key: text('key').notNull(),
    method: text('method').notNull(),
    path: text('path').notNull(),
    requestHash: text('request_hash').notNull(),
    status: text('status', { enum: idempotencyStatuses }).notNull().default('running'),
    responseStatus: integer('response_status'),
    responseHeaders: jsonb('response_headers').$type<Record<string, string>>(),
    responseBody: text('response_body'),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.tenantId, t.key] }),
    tenantFk('idempotency_keys', t),
    checkIn('idempotency_keys_status_check', t.status, idempotencyStatuses),
    // The sweep of expired keys runs across tenants.
    index('idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);
