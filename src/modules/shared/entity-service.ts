import { and, asc, eq, gte, inArray, type SQL } from 'drizzle-orm';
import { requireScope, type RequestContext } from '../../context.js';
import type { Db, Tx } from '../../db/client.js';
import { withTenant } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { afterCursor, decodeCursor, encodeCursor, pageOf } from './pagination.js';
import { translateDbError } from './db-errors.js';
import { canonical, mergePatch } from './merge-patch.js';
import { parseInput } from './validation.js';
import { changeStamp } from './records.js';
import type { ListQuery } from './common.schemas.js';
import { once } from '../idempotency/idempotency.service.js';
import { withoutRecordFields, type CreateOptions, type Created, type EntityDefinition, type EntityRow, type Page } from './entity-definition.js';

export type { CreateOptions, Created, EntityDefinition, EntityRow, EntityService, EntityTable, Page } from './entity-definition.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The operations every entity shares, with its rules plugged in. REST and GraphQL both call
 * these; each runs in one tenant transaction.
 */
export function createEntityService<Row extends EntityRow, Input extends { externalId?: string | null }, Api extends { id: string; version: number }, Query extends ListQuery>(
  db: Db,
  def: EntityDefinition<Row, Input, Api, Query>,
) {
  const t = def.table;
  const toInput = def.toInput ?? withoutRecordFields;
  const notFound = (id: string) => new AppError('not_found', `No ${def.noun} ${id}.`);

  async function findRow(tx: Tx, tenantId: string, where: SQL, lock: boolean): Promise<Row | undefined> {
    const query = tx.select().from(t).where(and(eq(t.tenantId, tenantId), where)).limit(1);
    const rows = (lock ? await query.for('update') : await query) as unknown as Row[];
    return rows[0];
  }
  const presentOne = async (tx: Tx, tenantId: string, row: Row) => (await def.present(tx, tenantId, [row]))[0] as Api;
  const sameInput = (a: Input, b: Input) => canonical(a) === canonical(b);

  async function insert(tx: Tx, ctx: RequestContext, given: Input): Promise<Api> {
    const input = def.prepare ? def.prepare(given, null) : given;
    await def.check?.(tx, ctx, input, null);
    const rows = (await tx
      .insert(t)
      .values({ ...def.toValues(input), tenantId: ctx.tenantId } as never)
      .returning()
      .catch((err: unknown) => translateDbError(err, def.constraintPaths, def.noun))) as unknown as Row[];
    const row = rows[0] as Row;
    await def.afterWrite?.(tx, ctx, row, input, null).catch((err: unknown) => translateDbError(err, def.constraintPaths, def.noun));
    return presentOne(tx, ctx.tenantId, row);
  }

  /** Writes `input` over `row` unless nothing changes; returns the record and whether it did. */
  async function overwrite(tx: Tx, ctx: RequestContext, row: Row, given: Input): Promise<{ record: Api; changed: boolean }> {
    const current = await presentOne(tx, ctx.tenantId, row);
    const input = def.prepare ? def.prepare(given, current) : given;
    const before = parseInput(def.Input, toInput(current));
    if (sameInput(before, input)) return { record: current, changed: false };
    await def.check?.(tx, ctx, input, current);
    const rows = (await tx
      .update(t)
      .set({ ...def.toValues(input), ...changeStamp(t) } as never)
      .where(and(eq(t.tenantId, ctx.tenantId), eq(t.id, row.id)))
      .returning()
      .catch((err: unknown) => translateDbError(err, def.constraintPaths, def.noun))) as unknown as Row[];
    const updated = rows[0] as Row;
    await def.afterWrite?.(tx, ctx, updated, input, current).catch((err: unknown) => translateDbError(err, def.constraintPaths, def.noun));
    return { record: await presentOne(tx, ctx.tenantId, updated), changed: true };
  }

  return {
    async list(ctx: RequestContext, rawQuery: unknown): Promise<Page<Api>> {
      requireScope(ctx, 'read');
      const query = parseInput(def.Query, rawQuery ?? {}, 'query');
      const conditions: SQL[] = [eq(t.tenantId, ctx.tenantId), ...def.filters(query)];
      if (query.updatedSince) conditions.push(gte(t.updatedAt, new Date(query.updatedSince)));
      if (query.externalId) conditions.push(eq(t.externalId, query.externalId));
      if (query.cursor) conditions.push(afterCursor(t as never, ctx.tenantId, decodeCursor(query.cursor)));
      return withTenant(db, ctx.tenantId, async (tx) => {
        const rows = (await tx
          .select()
          .from(t)
          .where(and(...conditions))
          .orderBy(asc(t.createdAt), asc(t.id))
          .limit(query.limit + 1)) as unknown as Row[];
        const page = pageOf(rows, query.limit, encodeCursor);
        return { data: await def.present(tx, ctx.tenantId, page.rows), nextCursor: page.nextCursor };
      });
    },

    async get(ctx: RequestContext, id: string): Promise<Api> {
      requireScope(ctx, 'read');
      if (!UUID.test(id)) throw notFound(id);
      return withTenant(db, ctx.tenantId, async (tx) => {
        const row = await findRow(tx, ctx.tenantId, eq(t.id, id), false);
        if (!row) throw notFound(id);
        return presentOne(tx, ctx.tenantId, row);
      });
    },

    /** For GraphQL loaders: one query, results in the order asked, null where missing. */
    async getManyByIds(ctx: RequestContext, ids: readonly string[]): Promise<(Api | null)[]> {
      requireScope(ctx, 'read');
      const valid = [...new Set(ids.filter((id) => UUID.test(id)))];
      if (valid.length === 0) return ids.map(() => null);
      return withTenant(db, ctx.tenantId, async (tx) => {
        const rows = (await tx.select().from(t).where(and(eq(t.tenantId, ctx.tenantId), inArray(t.id, valid)))) as unknown as Row[];
        const records = await def.present(tx, ctx.tenantId, rows);
        const byId = new Map(records.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      });
    },

    /** With an Idempotency-Key, the scope is checked before the first answer can be replayed. */
    async create(ctx: RequestContext, rawInput: unknown, options: CreateOptions = {}): Promise<Created<Api>> {
      requireScope(ctx, 'write');
      return withTenant(db, ctx.tenantId, async (tx) => {
        const { value, replayed } = await once(tx, ctx, options.idempotency, () => insert(tx, ctx, parseInput(def.Input, rawInput)));
        return { record: value, replayed };
      });
    },

    /** A merge patch; `expectedVersion` (If-Match) makes a stale write a 412. */
    async update(ctx: RequestContext, id: string, patch: unknown, expectedVersion?: number): Promise<Api> {
      requireScope(ctx, 'write');
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
        throw new AppError('validation_failed', 'A patch is a JSON object.', { errors: [{ path: '(root)', message: 'must be an object' }] });
      }
      if (!UUID.test(id)) throw notFound(id);
      return withTenant(db, ctx.tenantId, async (tx) => {
        const row = await findRow(tx, ctx.tenantId, eq(t.id, id), true);
        if (!row) throw notFound(id);
        if (expectedVersion !== undefined && row.version !== expectedVersion) {
          throw new AppError('precondition_failed', `The ${def.noun} is at version ${row.version}, not ${expectedVersion}.`, {
            extra: { currentVersion: row.version },
          });
        }
        const current = await presentOne(tx, ctx.tenantId, row);
        const input = parseInput(def.Input, mergePatch(toInput(current), patch));
        return (await overwrite(tx, ctx, row, input)).record;
      });
    },

    /** A full representation by the caller's ID: created (201) or replaced (200). */
    async upsert(ctx: RequestContext, externalId: string, rawInput: unknown): Promise<{ record: Api; created: boolean }> {
      requireScope(ctx, 'write');
      const body = (rawInput ?? {}) as Record<string, unknown>;
      if (typeof body === 'object' && body.externalId != null && body.externalId !== externalId) {
        throw new AppError('validation_failed', 'The body names another externalId than the URL.', {
          errors: [{ path: 'externalId', message: 'must match the URL or be left out' }],
        });
      }
      const input = parseInput(def.Input, { ...body, externalId });
      return withTenant(db, ctx.tenantId, async (tx) => {
        const existing = await findRow(tx, ctx.tenantId, eq(t.externalId, externalId), true);
        if (existing) return { record: (await overwrite(tx, ctx, existing, input)).record, created: false };
        try {
          // In a savepoint: a concurrent upsert of the same externalId may insert first.
          return { record: await tx.transaction((sp) => insert(sp as Tx, ctx, input)), created: true };
        } catch (err) {
          const raced = err instanceof AppError && err.code === 'conflict' && err.errors?.[0]?.path === 'externalId';
          const winner = raced ? await findRow(tx, ctx.tenantId, eq(t.externalId, externalId), true) : undefined;
          if (!winner) throw err;
          return { record: (await overwrite(tx, ctx, winner, input)).record, created: false };
        }
      });
    },

    async remove(ctx: RequestContext, id: string, options: { cascade?: boolean } = {}): Promise<void> {
      requireScope(ctx, 'write');
      if (!UUID.test(id)) throw notFound(id);
      await withTenant(db, ctx.tenantId, async (tx) => {
        const row = await findRow(tx, ctx.tenantId, eq(t.id, id), true);
        if (!row) throw notFound(id);
        const dependents = Object.fromEntries(Object.entries(await def.dependents(tx, ctx.tenantId, id)).filter(([, n]) => n > 0));
        if (Object.keys(dependents).length > 0 && !options.cascade) {
          throw new AppError('conflict', `Other records refer to this ${def.noun}; delete with cascade=true to take them along.`, {
            extra: { dependents },
          });
        }
        if (options.cascade) await def.cascade(tx, ctx.tenantId, id);
        await tx.delete(t).where(and(eq(t.tenantId, ctx.tenantId), eq(t.id, id)));
      });
    },
  };
}
