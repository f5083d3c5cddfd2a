import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RequestContext } from '../../context.js';
import { rowsOf, type Db, type Tx } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { canonical } from '../shared/merge-patch.js';

/** How long an answer is remembered: 24 hours (api.md). */
const TTL = sql`interval '24 hours'`;

/** A request that carries an Idempotency-Key: the key, and a fingerprint of what was asked. */
export interface IdempotencyRequest {
  key: string;
  /** SHA-256 of method, path and canonical body: the same key with another request is a 422. */
  fingerprint: string;
}

export const requestFingerprint = (method: string, path: string, body: unknown): string =>
  createHash('sha256').update(`${method} ${path}\n${canonical(body ?? null)}`).digest('hex');

export interface Once<T> {
  value: T;
  /** True when `value` is the first answer, replayed; nothing ran this time. */
  replayed: boolean;
}

interface Remembered {
  locked: boolean;
  request_hash: string | null;
  response_body: unknown;
}

/**
 * Runs `work` once per API key and Idempotency-Key, in the caller's tenant transaction `tx`.
 * The answer is stored in that same transaction: if the process dies before the commit, both
 * the write and the answer are gone and a retry runs again; after it, a retry is replayed.
 * A transaction-scoped advisory lock tells a retry that arrives while the first still runs (409)
 * without making it wait. Only successes are remembered: a failure wrote nothing, and its retry
 * runs again. `stored` says what of the value may be kept (never a secret).
 *
 * The caller has checked the scope already: authorization comes before any replay.
 */
export async function once<T>(
  tx: Tx,
  ctx: RequestContext,
  request: IdempotencyRequest | undefined,
  work: () => Promise<T>,
  stored: (value: T) => unknown = (value) => value,
): Promise<Once<T>> {
  if (!request) return { value: await work(), replayed: false };
  const lockKey = `${ctx.tenantId}:${ctx.apiKey.id}:${request.key}`;
  const found = rowsOf<Remembered>(
    await tx.execute(sql`
      select pg_try_advisory_xact_lock(hashtextextended(${lockKey}, 0)) as locked, k.request_hash, k.response_body
      from (select 1) one
      left join ${idempotencyKeys} k
        on k.tenant_id = ${ctx.tenantId} and k.api_key_id = ${ctx.apiKey.id} and k.key = ${request.key} and k.expires_at > now()`),
  )[0] as Remembered;
  if (!found.locked) {
    throw new AppError('conflict', 'The first request with this Idempotency-Key is still running; retry shortly.', {
      headers: { 'retry-after': '1' },
    });
  }
  if (found.request_hash !== null) {
    if (found.request_hash !== request.fingerprint) {
      throw new AppError('idempotency_conflict', 'This Idempotency-Key was used with another request; use a new key.');
    }
    return { value: found.response_body as T, replayed: true };
  }
  const value = await work();
  await tx
    .insert(idempotencyKeys)
    .values({
      tenantId: ctx.tenantId,
      apiKeyId: ctx.apiKey.id,
      key: request.key,
      requestHash: request.fingerprint,
      // Every POST that takes a key creates: its first answer was a 201.
      responseStatus: 201,
      responseBody: stored(value),
      expiresAt: sql`now() + ${TTL}`,
    })
    // An expired answer under the same key is replaced.
    .onConflictDoUpdate({
      target: [idempotencyKeys.tenantId, idempotencyKeys.apiKeyId, idempotencyKeys.key],
      set: { requestHash: request.fingerprint, responseBody: stored(value), createdAt: sql`now()`, expiresAt: sql`now() + ${TTL}` },
    });
  return { value, replayed: false };
}

// Work that spans many transactions (an import streams for minutes, a batch at a time) cannot
// hold the advisory lock of `once`: its key is claimed in its first transaction, pending (202,
// pointing at the work), and answered in its last; a run that fails forgets it, so a retry runs.

/** What this API key's Idempotency-Key holds, locked until the transaction ends; expired: nothing. */
export async function recallKey(tx: Tx, ctx: RequestContext, key: string): Promise<{ requestHash: string; responseStatus: number; responseBody: unknown } | undefined> {
  const [row] = await tx
    .select({ requestHash: idempotencyKeys.requestHash, responseStatus: idempotencyKeys.responseStatus, responseBody: idempotencyKeys.responseBody })
    .from(idempotencyKeys)
    .where(sql`${idempotencyKeys.tenantId} = ${ctx.tenantId} and ${idempotencyKeys.apiKeyId} = ${ctx.apiKey.id} and ${idempotencyKeys.key} = ${key} and ${idempotencyKeys.expiresAt} > now()`)
    .for('update');
  return row;
}

/** Stores (or replaces) what a key answers: 202 while its work runs, then the work's 201. */
export async function rememberKey(tx: Tx, ctx: RequestContext, key: string, requestHash: string, status: 201 | 202, body: unknown): Promise<void> {
  await tx
    .insert(idempotencyKeys)
    .values({ tenantId: ctx.tenantId, apiKeyId: ctx.apiKey.id, key, requestHash, responseStatus: status, responseBody: body, expiresAt: sql`now() + ${TTL}` })
    .onConflictDoUpdate({
      target: [idempotencyKeys.tenantId, idempotencyKeys.apiKeyId, idempotencyKeys.key],
      set: { requestHash, responseStatus: status, responseBody: body, createdAt: sql`now()`, expiresAt: sql`now() + ${TTL}` },
    });
}

/** A key whose work failed: its retry runs again. */
export async function forgetKey(tx: Tx, ctx: RequestContext, key: string): Promise<void> {
  await tx.delete(idempotencyKeys).where(sql`${idempotencyKeys.tenantId} = ${ctx.tenantId} and ${idempotencyKeys.apiKeyId} = ${ctx.apiKey.id} and ${idempotencyKeys.key} = ${key}`);
}

/**
 * Deletes expired answers of every tenant, a batch at a time; returns how many. Row-level
 * security lets `icrm_sweep_idempotency_keys` (drizzle/0003) see and delete expired rows only.
 */
export async function sweepExpiredIdempotencyKeys(db: Db, batch = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const [row] = rowsOf<{ deleted: number }>(await db.execute(sql`select icrm_sweep_idempotency_keys(${batch}) as deleted`));
    const deleted = Number(row?.deleted ?? 0);
    total += deleted;
    if (deleted < batch) return total;
  }
}
