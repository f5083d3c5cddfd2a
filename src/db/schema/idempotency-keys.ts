import { foreignKey, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { apiKeys } from './api-keys.js';
import { createdAt, tenantFk, tenantId, timestamptz } from './columns.js';

// The first answer to a POST with an Idempotency-Key, replayed to retries until it expires.
// Written in the transaction of the write it answers, so there is always both or neither; bound
// to the API key that sent it, so no other key is ever handed that answer. It never holds a
// secret: a replayed key creation answers without one.
export const idempotencyKeys = pgTable(
  'idempotency_keys',
  {
    tenantId: tenantId(),
    apiKeyId: uuid('api_key_id').notNull(),
    key: text('key').notNull(),
    requestHash: text('request_hash').notNull(),
    responseStatus: integer('response_status').notNull(),
    responseBody: jsonb('response_body').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'idempotency_keys_pkey', columns: [t.tenantId, t.apiKeyId, t.key] }),
    tenantFk('idempotency_keys', t),
    foreignKey({ name: 'idempotency_keys_api_key_fk', columns: [t.tenantId, t.apiKeyId], foreignColumns: [apiKeys.tenantId, apiKeys.id] }).onDelete('cascade'),
    // The sweep of expired keys runs across tenants.
    index('idempotency_keys_expires_idx').on(t.expiresAt),
  ],
);
