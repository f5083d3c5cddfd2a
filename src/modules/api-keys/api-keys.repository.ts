import { and, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { apiKeys } from '../../db/schema/index.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type NewApiKeyRow = typeof apiKeys.$inferInsert;

export async function insertApiKey(db: Executor, row: NewApiKeyRow): Promise<ApiKeyRow> {
  const [created] = await db.insert(apiKeys).values(row).returning();
  return created as ApiKeyRow;
}

interface FoundKeyRow {
  tenant_id: string;
  id: string;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: ApiKeyRow['scopes'];
  created_at: Date | string;
  expires_at: Date | string | null;
  last_used_at: Date | string | null;
  revoked_at: Date | string | null;
}

const dateOrNull = (value: Date | string | null): Date | null => (value === null ? null : new Date(value));

/**
 * System lookup of a key named by its public prefix (authentication, before the tenant is
 * known) or by its lower-case id (the CLI's revoke). Row-level security lets a key row be read
 * only by whoever names it exactly: `icrm_find_api_key` (drizzle/0003) names it and reads it
 * in one round trip, whatever role the service connects as.
 */
export async function findApiKey(db: Executor, named: string): Promise<ApiKeyRow | undefined> {
  const [row] = rowsOf<FoundKeyRow>(await db.execute(sql`select * from icrm_find_api_key(${named}) limit 1`));
  if (!row) return undefined;
  return {
    tenantId: row.tenant_id,
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    secretHash: row.secret_hash,
    scopes: row.scopes,
    createdAt: new Date(row.created_at),
    expiresAt: dateOrNull(row.expires_at),
    lastUsedAt: dateOrNull(row.last_used_at),
    revokedAt: dateOrNull(row.revoked_at),
  };
}

export function listApiKeys(db: Executor, tenantId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.tenantId, tenantId)).orderBy(apiKeys.createdAt, apiKeys.id);
}

/** Revokes a key once; revoking again keeps the first time. Null when there is no such key. */
export async function revokeApiKey(db: Executor, id: string, tenantId: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(and(eq(apiKeys.id, id), eq(apiKeys.tenantId, tenantId)))
    .returning();
  return row;
}

/** Records use at most once a minute per key, so reads do not each cost a write. */
export async function touchApiKey(db: Executor, id: string): Promise<void> {
  await db
    .update(apiKeys)
    .set({ lastUsedAt: sql`now()` })
    .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, sql`now() - interval '1 minute'`))));
}
