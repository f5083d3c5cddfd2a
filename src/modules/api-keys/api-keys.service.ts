import type { Db, Executor } from '../../db/client.js';
import { AppError } from '../../errors.js';
import { SCOPES, requireScope, type RequestContext, type Scope } from '../../context.js';
import { withTenant, withTenantRead } from '../../db/tenant-transaction.js';
import { parseInput } from '../shared/validation.js';
import { isUuid } from '../shared/common.schemas.js';
import { once } from '../idempotency/idempotency.service.js';
import type { CreateOptions, Created } from '../shared/entity-definition.js';
import { ApiKeyInput, type ApiKey, type CreatedApiKey } from './api-keys.schemas.js';
import { generateKey, parseKey, secretMatches } from './api-key-secret.js';
import { keyCacheOf, type Caller } from './api-key-cache.js';
import { findApiKey, insertApiKey, listApiKeys, revokeApiKey, touchApiKey, type ApiKeyRow } from './api-keys.repository.js';

/** A key just made: its secret is here, this once; only its hash is kept. */
export type NewApiKey = CreatedApiKey & { secret: string };

export interface CreateApiKeyInput {
  tenantId: string;
  name?: string;
  scopes?: readonly Scope[];
  expiresAt?: Date | null;
}

/** Scopes as given in a CLI argument or a body: known names only, each once, in canonical order. */
export function parseScopes(value: string | readonly string[]): Scope[] {
  const names = (typeof value === 'string' ? value.split(',') : value).map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SCOPES as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new AppError('validation_failed', `Scopes must be a non-empty list of ${SCOPES.join(', ')}.`, {
      errors: [{ path: 'scopes', message: unknown.length ? `unknown scope: ${unknown.join(', ')}` : 'at least one scope is required' }],
    });
  }
  return SCOPES.filter((s) => names.includes(s));
}

export async function createApiKey(db: Executor, input: CreateApiKeyInput): Promise<NewApiKey> {
  const scopes = parseScopes(input.scopes ?? SCOPES);
  const key = generateKey();
  const row = await insertApiKey(db, {
    tenantId: input.tenantId,
    name: input.name ?? 'default',
    prefix: key.prefix,
    secretHash: key.secretHash,
    scopes,
    expiresAt: input.expiresAt ?? null,
  });
  return { ...toPublicKey(row), secret: key.secret };
}

export type PublicKey = Omit<CreatedApiKey, 'secret'>;

export function toPublicKey(row: ApiKeyRow): PublicKey {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Scope[],
    prefix: row.prefix,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt?.toISOString() ?? null,
  };
}

export async function revokeKey(db: Executor, keyId: string, tenantId: string): Promise<void> {
  const row = await revokeApiKey(db, keyId, tenantId);
  if (!row) throw new AppError('not_found', `No API key ${keyId}.`);
}

/** Revokes in `tx` and forgets the key in this instance's cache of `db` at once. */
const revokeAndForget = async (db: Db, tx: Executor, keyId: string, tenantId: string) => {
  await revokeKey(tx, keyId, tenantId);
  keyCacheOf(db).evict(keyId);
};

/** System operation (CLI): revokes a key known only by its id, in its own tenant's transaction. */
export async function revokeKeyById(db: Db, keyId: string): Promise<void> {
  const id = keyId.toLowerCase();
  const row = isUuid(id) ? await findApiKey(db, id) : undefined;
  if (!row) throw new AppError('not_found', `No API key ${keyId}.`);
  await withTenant(db, row.tenantId, (tx) => revokeAndForget(db, tx, id, row.tenantId));
}


const denied = () => new AppError('unauthorized', 'A valid API key is required.', { headers: { 'www-authenticate': 'Bearer realm="api"' } });

/**
 * Resolves a presented key to its tenant and scopes. Every failure is the same 401 so a
 * caller cannot tell an unknown key from a revoked or expired one. A key authenticated in the
 * last `cacheMs` is not looked up again (see api-key-cache.ts for what that delays).
 */
export async function authenticateKey(db: Db, presented: string, options: { cacheMs?: number } = {}): Promise<Caller> {
  const cache = keyCacheOf(db);
  const known = cache.get(presented);
  if (known) return known;
  const parsed = parseKey(presented);
  if (!parsed) throw denied();
  const row = await findApiKey(db, parsed.prefix);
  if (!row || !secretMatches(presented, row.secretHash)) throw denied();
  if (row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) throw denied();
  // Most requests skip the write: use is recorded at most once a minute (the SQL re-checks it).
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= 60_000) {
    await withTenant(db, row.tenantId, (tx) => touchApiKey(tx, row.id));
  }
  const caller = { tenantId: row.tenantId, apiKey: { id: row.id, name: row.name, scopes: row.scopes as Scope[] } };
  cache.set(presented, caller, options.cacheMs ?? 0, row.expiresAt);
  return caller;
}

const listedKey = (row: ApiKeyRow): ApiKey => ({
  ...toPublicKey(row),
  lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/** Key management over the API: scope `admin`, within the caller's tenant. */
export function createApiKeysService(db: Db) {
  return {
    async list(ctx: RequestContext): Promise<{ data: ApiKey[] }> {
      requireScope(ctx, 'admin');
      return { data: (await withTenantRead(db, ctx.tenantId, (tx) => listApiKeys(tx, ctx.tenantId))).map(listedKey) };
    },
    /**
     * The scope comes before any replay. A replayed creation answers without the secret: the
     * remembered answer never holds one.
     */
    async create(ctx: RequestContext, rawInput: unknown, options: CreateOptions = {}): Promise<Created<CreatedApiKey>> {
      requireScope(ctx, 'admin');
      return withTenant(db, ctx.tenantId, async (tx) => {
        const { value, replayed } = await once<CreatedApiKey>(
          tx,
          ctx,
          options.idempotency,
          () => createApiKey(tx, { tenantId: ctx.tenantId, ...parseInput(ApiKeyInput, rawInput) }),
          ({ secret: _secret, ...kept }) => kept,
        );
        return { record: value, replayed };
      });
    },
    /** Revoking is final and idempotent; another tenant's key is a 404 like a missing one. */
    async revoke(ctx: RequestContext, id: string): Promise<void> {
      requireScope(ctx, 'admin');
      if (!isUuid(id)) throw new AppError('not_found', `No API key ${id}.`);
      await withTenant(db, ctx.tenantId, (tx) => revokeAndForget(db, tx, id, ctx.tenantId));
    },
  };
}
export type ApiKeysService = ReturnType<typeof createApiKeysService>;
