import { getTableColumns, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { requireScope, type RequestContext } from '../../context.js';
import { rowsOf, type Db, type Executor, type Tx } from '../../db/client.js';
import { withTenant, withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { once } from '../idempotency/idempotency.service.js';
import { isUuid, type ListQuery } from './common.schemas.js';
import { createBatchWriter, RacedUpsert, type Outcome } from './batch-write.js';
import { fieldErrors } from '../../errors/field-errors.js';
import type { Problem } from './rules.js';
import type { ChildListOptions, ChildRecords, CreateOptions, Created, EntityDefinition, EntityRow, EntityService, Page, Pending, TxOptions } from './entity-definition.js';
import { withoutRecordFields } from './entity-definition.js';
import { childTreesStatement, type TreeSource } from './json-tree.js';
import { mergePatch } from './merge-patch.js';
import { afterCursor, decodeCursor, encodeCursor, pageOf } from './pagination.js';
import { parseInput } from './validation.js';
import { storedRecords } from './stored-records.js';

export type { ChildListOptions, ChildRecords, CreateOptions, Created, EntityDefinition, EntityRow, EntityService, Page, TxOptions } from './entity-definition.js';
export type { Outcome } from './batch-write.js';

/**
 * The operations every entity shares, with its rules plugged in. REST and GraphQL both call
 * these; each runs in one tenant transaction, its own or the `tx` it is given. Every write goes
 * through `writeBatch`: a single create, change or upsert is a batch of one.
 */
export function createEntityService<Row extends EntityRow, Input extends { externalId?: string | null }, Api extends { id: string; version: number }, Query extends ListQuery, Facts extends object>(
  db: Db,
  def: EntityDefinition<Row, Input, Api, Query, Facts>,
) {
  const repo = def.repository;
  const toInput = def.toInput ?? withoutRecordFields;
  const notFound = (id: string) => new AppError('not_found', `No ${def.noun} ${id}.`);
  const inTenant = <T>(ctx: RequestContext, options: TxOptions, work: (tx: Tx) => Promise<T>): Promise<T> =>
    options.tx ? work(options.tx) : withTenant(db, ctx.tenantId, work);
  // Reads take the read-only tenant transaction (see withTenantRead), or the one they are given.
  // Each read below is one statement of the repository, then `present`.
  const readInTenant = <T>(ctx: RequestContext, options: TxOptions, work: (tx: Executor) => Promise<T>): Promise<T> =>
    options.tx ? work(options.tx) : withTenantRead(db, ctx.tenantId, work, { oneStatement: !def.presentReads });
  const presentOne = async (tx: Executor, tenantId: string, row: Row) => (await def.present(tx, tenantId, [row]))[0] as Api;
  const byId = <T extends { id: string }>(records: T[]) => new Map(records.map((r) => [r.id, r]));
  const parentColumn = (parent: string) => {
    const column = def.parents?.[parent];
    if (!column) throw new Error(`${def.noun}: no list by ${parent}`);
    return column;
  };

  // A filter on the children of many parents is a list's filter, checked as `list` checks it.
  const childFilters = (options: ChildListOptions): SQL[] => (options.filter ? repo.filtersOf(parseInput(def.Query, options.filter, 'filter')) : []);
  // After a cursor: the same keyset step as a list's, for every parent at once.
  const childConditions = (tenantId: string, options: ChildListOptions): SQL[] => [
    ...(options.after ? [afterCursor(repo.table as never, tenantId, decodeCursor(options.after))] : []),
    ...childFilters(options),
  ];

  const { writeBatch, writeOne } = createBatchWriter(def);

  // What a JSON tree reads of this entity (json-tree.ts), when its record is its columns.
  const treeSource: TreeSource | null = def.recordColumns
    ? {
        table: repo.table,
        columns: new Map(Object.entries(getTableColumns(repo.table) as Record<string, AnyPgColumn>).filter(([key]) => key !== 'tenantId' && !def.recordColumns!.except?.includes(key))),
        where: (tenantId, options) => childConditions(tenantId, options),
        parentColumn,
      }
    : null;

  /** listByParents as JSON built in SQL: one statement, whatever the relations under the children. */
  const childTrees = async (
    ctx: RequestContext,
    column: ReturnType<typeof parentColumn>,
    parentIds: readonly string[],
    valid: string[],
    first: number,
    where: SQL[],
    options: ChildListOptions,
  ): Promise<Map<string, ChildRecords<Api>>> => {
    const rows = await readInTenant(ctx, options, async (tx) =>
      valid.length ? rowsOf<{ parentId: string; children: Api[] }>(await tx.execute(childTreesStatement(ctx.tenantId, options.tree!, column, valid, first, where))) : [],
    );
    const pages = new Map(rows.map((row) => [row.parentId, row.children]));
    return new Map(
      parentIds.map((id) => {
        const children = pages.get(id.toLowerCase()) ?? [];
        // Cursors from the records, when asked (the tree then holds their id and createdAt).
        return [id, { records: children.slice(0, first), hasNextPage: children.length > first }];
      }),
    );
  };

  const service = {
    treeSource,

    async list(ctx: RequestContext, rawQuery: unknown, options: TxOptions = {}): Promise<Page<Api>> {
      requireScope(ctx, 'read');
      const query = parseInput(def.Query, rawQuery ?? {}, 'query');
      return readInTenant(ctx, options, async (tx) => {
        const page = pageOf(await repo.list(tx, ctx.tenantId, query), query.limit, encodeCursor);
        return { data: await def.present(tx, ctx.tenantId, page.rows), nextCursor: page.nextCursor };
      });
    },

    /** How many records a list's filters match, all pages together. */
    async count(ctx: RequestContext, rawQuery: unknown, options: TxOptions = {}): Promise<number> {
      requireScope(ctx, 'read');
      const query = parseInput(def.Query, rawQuery ?? {}, 'query');
      return options.tx ? repo.count(options.tx, ctx.tenantId, query) : withTenantRead(db, ctx.tenantId, (tx) => repo.count(tx, ctx.tenantId, query), { oneStatement: true });
    },

    async get(ctx: RequestContext, id: string, options: TxOptions = {}): Promise<Api> {
      requireScope(ctx, 'read');
      if (!isUuid(id)) throw notFound(id);
      return readInTenant(ctx, options, async (tx) => {
        const [row] = await repo.selectByIds(tx, ctx.tenantId, [id]);
        if (!row) throw notFound(id);
        return presentOne(tx, ctx.tenantId, row);
      });
    },

    /** For GraphQL loaders: one query, results in the order asked, null where missing. */
    async getManyByIds(ctx: RequestContext, ids: readonly string[], options: TxOptions = {}): Promise<(Api | null)[]> {
      requireScope(ctx, 'read');
      const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
      if (valid.length === 0) return ids.map(() => null);
      return readInTenant(ctx, options, async (tx) => {
        const records = byId(await def.present(tx, ctx.tenantId, await repo.selectByIds(tx, ctx.tenantId, valid)));
        return ids.map((id) => records.get(id.toLowerCase()) ?? null);
      });
    },

    /** The same by the callers' own IDs: one query, in the order asked, null where missing. */
    async getManyByExternalIds(ctx: RequestContext, externalIds: readonly string[], options: TxOptions = {}): Promise<(Api | null)[]> {
      requireScope(ctx, 'read');
      if (externalIds.length === 0) return [];
      return readInTenant(ctx, options, async (tx) => {
        const records = await def.present(tx, ctx.tenantId, await repo.selectByExternalIds(tx, ctx.tenantId, [...new Set(externalIds)]));
        const byExternal = new Map(records.map((r) => [(r as Api & { externalId: string | null }).externalId, r]));
        return externalIds.map((id) => byExternal.get(id) ?? null);
      });
    },

    /**
     * The first `first` records of each parent (e.g. the people of many organizations), in one
     * statement, with each record's cursor: what a to-many relation's loader asks for.
     */
    async listByParents(ctx: RequestContext, parent: string, parentIds: readonly string[], first: number, options: ChildListOptions = {}): Promise<Map<string, ChildRecords<Api>>> {
      requireScope(ctx, 'read');
      const column = parentColumn(parent);
      const valid = [...new Set(parentIds.filter(isUuid).map((id) => id.toLowerCase()))];
      const where = childConditions(ctx.tenantId, options);
      if (options.tree && treeSource) return childTrees(ctx, column, parentIds, valid, first, where, options);
      return readInTenant(ctx, options, async (tx) => {
        const pages = await repo.listByParents(tx, ctx.tenantId, column, valid, first, where, options.fields);
        const records = byId(await def.present(tx, ctx.tenantId, [...pages.values()].flatMap((p) => p.rows), options.fields));
        return new Map(
          parentIds.map((id) => {
            const page = pages.get(id.toLowerCase()) ?? { rows: [], hasMore: false };
            return [id, { records: page.rows.map((r) => records.get(r.id)!), cursors: page.rows.map(encodeCursor), hasNextPage: page.hasMore }];
          }),
        );
      });
    },

    /** How many records each parent has, in one statement (every parent asked is in the map). */
    async countByParents(ctx: RequestContext, parent: string, parentIds: readonly string[], options: ChildListOptions = {}): Promise<Map<string, number>> {
      requireScope(ctx, 'read');
      const column = parentColumn(parent);
      const valid = [...new Set(parentIds.filter(isUuid).map((id) => id.toLowerCase()))];
      const where = childFilters(options);
      const counts = await (options.tx
        ? repo.countByParents(options.tx, ctx.tenantId, column, valid, where)
        : withTenantRead(db, ctx.tenantId, (tx) => repo.countByParents(tx, ctx.tenantId, column, valid, where), { oneStatement: true }));
      return new Map(parentIds.map((id) => [id, counts.get(id.toLowerCase()) ?? 0]));
    },

    /** With an Idempotency-Key, the scope is checked before the first answer can be replayed. */
    async create(ctx: RequestContext, rawInput: unknown, options: CreateOptions = {}): Promise<Created<Api>> {
      requireScope(ctx, 'write');
      return inTenant(ctx, options, async (tx) => {
        const { value, replayed } = await once(tx, ctx, options.idempotency, async () => {
          const input = parseInput(def.Input, rawInput);
          return (await writeOne(tx, ctx, 'insert', { input, current: null })).record;
        });
        return { record: value, replayed };
      });
    },

    /** A merge patch; `expectedVersion` (If-Match) makes a stale write a 412. */
    async update(ctx: RequestContext, id: string, patch: unknown, expectedVersion?: number, options: TxOptions = {}): Promise<Api> {
      requireScope(ctx, 'write');
      if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) {
        throw new AppError('validation_failed', 'A patch is a JSON object.', { errors: [{ path: '(root)', message: 'must be an object' }] });
      }
      if (!isUuid(id)) throw notFound(id);
      return inTenant(ctx, options, async (tx) => {
        const [row] = await repo.selectByIds(tx, ctx.tenantId, [id], { lock: true });
        if (!row) throw notFound(id);
        if (expectedVersion !== undefined && row.version !== expectedVersion) {
          throw new AppError('precondition_failed', `The ${def.noun} is at version ${row.version}, not ${expectedVersion}.`, {
            extra: { currentVersion: row.version },
          });
        }
        const current = await presentOne(tx, ctx.tenantId, row);
        const input = parseInput(def.Input, mergePatch(toInput(current), patch));
        return (await writeOne(tx, ctx, 'update', { input, current })).record;
      });
    },

    /** A full representation by the caller's ID: created (201) or replaced (200). */
    async upsert(ctx: RequestContext, externalId: string, rawInput: unknown, options: TxOptions = {}): Promise<{ record: Api; created: boolean }> {
      requireScope(ctx, 'write');
      const body = (rawInput ?? {}) as Record<string, unknown>;
      if (typeof body === 'object' && body.externalId != null && body.externalId !== externalId) {
        throw new AppError('validation_failed', 'The body names another externalId than the URL.', {
          errors: [{ path: 'externalId', message: 'must match the URL or be left out' }],
        });
      }
      const input = parseInput(def.Input, { ...body, externalId });
      return inTenant(ctx, options, async (tx) => {
        // A concurrent upsert of the same externalId may create it first: then this one replaces it.
        for (let attempt = 0; ; attempt++) {
          const [row] = await repo.selectByExternalIds(tx, ctx.tenantId, [externalId], { lock: true });
          const current = row ? await presentOne(tx, ctx.tenantId, row) : null;
          try {
            // Believed new: in a savepoint, so what a lost race did before the write is undone.
            const outcome = current
              ? await writeOne(tx, ctx, 'upsert', { input, current })
              : await tx.transaction((savepoint) => writeOne(savepoint as Tx, ctx, 'upsert', { input, current }));
            return { record: outcome.record, created: outcome.status === 'created' };
          } catch (err) {
            if (!(err instanceof RacedUpsert) || attempt > 2) throw err instanceof RacedUpsert ? new AppError('conflict', 'Concurrent writes of this externalId; retry.') : err;
          }
        }
      });
    },

    async remove(ctx: RequestContext, id: string, options: { cascade?: boolean } & TxOptions = {}): Promise<void> {
      requireScope(ctx, 'write');
      if (!isUuid(id)) throw notFound(id);
      await inTenant(ctx, options, async (tx) => {
        const [row] = await repo.selectByIds(tx, ctx.tenantId, [id], { lock: true });
        if (!row) throw notFound(id);
        const dependents = Object.fromEntries(Object.entries(await def.dependents(tx, ctx.tenantId, id)).filter(([, n]) => n > 0));
        if (Object.keys(dependents).length > 0 && !options.cascade) {
          throw new AppError('conflict', `Other records refer to this ${def.noun}; delete with cascade=true to take them along.`, {
            extra: { dependents },
          });
        }
        if (options.cascade) await def.cascade(tx, ctx.tenantId, id, dependents);
        await repo.deleteMany(tx, ctx.tenantId, [id]);
      });
    },
  } satisfies EntityService<Api>;

  /**
   * Rows of a bulk import, in the caller's transaction: each parsed and checked as a create (or
   * an upsert by external ID) of this service would be, every row its own outcome, written
   * set-based. `create` refuses an external ID already stored; `upsert` needs one (else a second
   * run of the same file would add the row again).
   */
  async function importBatch(tx: Tx, ctx: RequestContext, mode: 'create' | 'upsert', rows: readonly unknown[]): Promise<Outcome<null>[]> {
    requireScope(ctx, 'import');
    const outcomes: (Outcome<null> | null)[] = rows.map(() => null);
    const refuse = (i: number, problems: Problem[]) => (outcomes[i] = { status: 'refused', problems });
    const inputs = new Map<number, Input>();
    rows.forEach((raw, i) => {
      const parsed = def.Input.safeParse(raw);
      if (!parsed.success) return refuse(i, fieldErrors(parsed.error));
      if (mode === 'upsert' && !parsed.data.externalId) return refuse(i, [{ path: 'externalId', message: 'is required to upsert (mode=create adds rows without one)' }]);
      inputs.set(i, parsed.data);
    });
    const externalIds = [...inputs.values()].flatMap((input) => (input.externalId ? [input.externalId] : []));
    // Read without locking (a re-import then writes nothing at all): a row another transaction
    // changes meanwhile is not replaced (the write checks its version), and the batch is retried.
    const stored = await repo.selectByExternalIds(tx, ctx.tenantId, externalIds);
    const currents = new Map((await def.present(tx, ctx.tenantId, stored)).map((record, i) => [stored[i]!.externalId!, record]));
    const pending: Pending<Input, Api>[] = [];
    const at: number[] = [];
    for (const [i, input] of inputs) {
      const current = input.externalId ? (currents.get(input.externalId) ?? null) : null;
      if (mode === 'create' && current) {
        refuse(i, [{ path: 'externalId', message: 'already exists (mode=upsert replaces it)', kind: 'conflict' }]);
        continue;
      }
      pending.push({ input, current });
      at.push(i);
    }
    const written = await writeBatch(tx, ctx, mode === 'create' ? 'insert' : 'upsert', pending, { records: false, stored: new Map(stored.map((row) => [row.id, row])) });
    written.forEach((outcome, j) => (outcomes[at[j]!] = outcome));
    return outcomes as Outcome<null>[];
  }

  /** The ids of these external IDs in the tenant (an import's references), in the caller's transaction. */
  async function idsByExternalIds(tx: Tx, ctx: RequestContext, externalIds: readonly string[]): Promise<Map<string, string>> {
    requireScope(ctx, 'import');
    const rows = await repo.selectByExternalIds(tx, ctx.tenantId, [...new Set(externalIds)]);
    return new Map(rows.map((row) => [row.externalId!, row.id]));
  }

  return { ...service, writeBatch, importBatch, idsByExternalIds, stored: storedRecords<Row, Api>(def) };
}
