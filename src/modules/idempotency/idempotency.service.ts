import { createHash } from 'node:crypto';
import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { RequestContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { idempotencyKeys } from '../../db/schema/index.js';
import { withTenant } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { canonical } from '../shared/merge-patch.js';

/** How long a key is remembered: 24 hours, per tenant (api.md). */
const TTL = sql`interval '24 hours'`;

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export type Begin = { state: 'new' } | { state: 'replay'; response: StoredResponse };

export const requestHash = (method: string, path: string, body: unknown): string =>
  createHash('sha256').update(`${method} ${path}\n${canonical(body ?? null)}`).digest('hex');

/**
 * Idempotency keys: the first request with a key runs, a retry with the same body gets the
 * first answer, a retry with another body is a 422, a retry while the first still runs is a
 * 409. A first attempt that died without answering is taken over after `staleAfterMs`.
 */
export function createIdempotencyService(db: Db, options: { staleAfterMs: number }) {
  const stale = sql`now() - make_interval(secs => ${options.staleAfterMs / 1000})`;
  const where = (ctx: RequestContext, key: string) => and(eq(idempotencyKeys.tenantId, ctx.tenantId), eq(idempotencyKeys.key, key));

  return {
    async begin(ctx: RequestContext, key: string, method: string, path: string, hash: string): Promise<Begin> {
      return withTenant(db, ctx.tenantId, async (tx) => {
        // Forget an expired key, or a first attempt that never finished, before claiming it.
        await tx
          .delete(idempotencyKeys)
          .where(
            and(
              where(ctx, key),
              or(lt(idempotencyKeys.expiresAt, sql`now()`), and(eq(idempotencyKeys.status, 'running'), lt(idempotencyKeys.createdAt, stale))),
            ),
          );
        const claimed = await tx
          .insert(idempotencyKeys)
          .values({ tenantId: ctx.tenantId, key, method, path, requestHash: hash, status: 'running', expiresAt: sql`now() + ${TTL}` })
          .onConflictDoNothing()
          .returning({ key: idempotencyKeys.key });
        if (claimed.length) return { state: 'new' };
        const [row] = await tx.select().from(idempotencyKeys).where(where(ctx, key));
        if (!row) return { state: 'new' };
        if (row.requestHash !== hash) {
          throw new AppError('idempotency_conflict', 'This Idempotency-Key was used with another request; use a new key.');
        }
        if (row.status === 'running') {
          throw new AppError('conflict', 'The first request with this Idempotency-Key is still running; retry shortly.', {
            headers: { 'retry-after': '1' },
          });
        }
        return {
          state: 'replay',
          response: { status: row.responseStatus ?? 200, headers: row.responseHeaders ?? {}, body: row.responseBody ?? '' },
        };
      });
    },

    async complete(ctx: RequestContext, key: string, response: StoredResponse): Promise<void> {
      await withTenant(db, ctx.tenantId, (tx) =>
        tx
          .update(idempotencyKeys)
          .set({ status: 'done', responseStatus: response.status, responseHeaders: response.headers, responseBody: response.body })
          .where(where(ctx, key)),
      );
    },

    /** A failure of ours (5xx) is not an answer to keep: the key is freed for a retry. */
    async release(ctx: RequestContext, key: string): Promise<void> {
      await withTenant(db, ctx.tenantId, (tx) => tx.delete(idempotencyKeys).where(where(ctx, key)));
    },
  };
}
export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
