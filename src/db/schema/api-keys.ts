import { index, pgTable, primaryKey, text, unique, uuid } from 'drizzle-orm/pg-core';
import { checkSubset, createdAt, tenantFk, tenantId, timestamptz } from './columns.js';

export const apiKeyScopes = ['read', 'write', 'import', 'admin'] as const;

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    scopes: text('scopes', { enum: apiKeyScopes }).array().notNull(),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at'),
    lastUsedAt: timestamptz('last_used_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    primaryKey({ name: 'api_keys_pkey', columns: [t.tenantId, t.id] }),
    tenantFk('api_keys', t),
    // Globally unique, the one key without tenant_id: a presented key is found by its prefix
    // before its tenant is known.
    unique('api_keys_prefix_key').on(t.prefix),
    checkSubset('api_keys_scopes_check', t.scopes, apiKeyScopes),
    index('api_keys_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);
