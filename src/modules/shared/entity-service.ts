import { requireScope, type RequestContext } from '../../context.js';
import type { Db, Executor, Tx } from '../../db/client.js';
import { withTenant, withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { once } from '../idempotency/idempotency.service.js';
import { isUuid, type ListQuery } from './common.schemas.js';
import { translateDbError } from './db-errors.js';
import type {
  ChildRecords,
  CreateOptions,
  Created,
  EntityDefinition,
  EntityRow,
  EntityService,
  Page,
  Pending,
  TxOptions,
  Written,
} from './entity-definition.js';
import { withoutRecordFields } from './entity-definition.js';
import { canonical, mergePatch } from './merge-patch.js';
import { encodeCursor, pageOf } from './pagination.js';
import { loadExisting } from './references.js';
import { problemsError, type Problem } from './rules.js';
import { parseInput } from './validation.js';

export type { ChildRecords, CreateOptions, Created, EntityDefinition, EntityRow, EntityService, Page, TxOptions } from './entity-definition.js';


/** How a batch reaches the table: new rows, a row changed by id, or rows by external ID. */
type Mode = 'insert' | 'update' | 'upsert';

/** A row of a batch after its rules ran: written, unchanged, or refused with its problems. */
export type Outcome<Api> = { status: 'created' | 'updated' | 'unchanged'; record: Api } | { status: 'refused'; problems: Problem[] };

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
  const translate = (err: unknown): never => translateDbError(err, def.constraintPaths, def.noun);
  const inTenant = <T>(ctx: RequestContext, options: TxOptions, work: (tx: Tx) => Promise<T>): Promise<T> =>
    options.tx ? work(options.tx) : withTenant(db, ctx.tenantId, work);
  // Reads take the read-only tenant transaction (see withTenantRead), or the one they are given.
  const readInTenant = <T>(ctx: RequestContext, options: TxOptions, work: (tx: Executor) => Promise<T>): Promise<T> =>
    options.tx ? work(options.tx) : withTenantRead(db, ctx.tenantId, work);
  const presentOne = async (tx: Executor, tenantId: string, row: Row) => (await def.present(tx, tenantId, [row]))[0] as Api;
  const byId = <T extends { id: string }>(records: T[]) => new Map(records.map((r) => [r.id, r]));

  /**
   * The one write path. Each row is prepared against what it replaces, compared (a row that
   * changes nothing is left alone), checked by the entity's pure rules over facts loaded once
   * for the batch, then the batch is written set-based, its children after it.
   */
  async function writeBatch(tx: Tx, ctx: RequestContext, mode: Mode, batch: Pending<Input, Api>[]): Promise<Outcome<Api>[]> {
    const outcomes: (Outcome<Api> | null)[] = batch.map(() => null);
    const pending: (Pending<Input, Api> & { index: number })[] = [];
    batch.forEach(({ input: given, current }, index) => {
      const input = def.prepare ? def.prepare(given, current) : given;
      if (current && canonical(parseInput(def.Input, toInput(current))) === canonical(input)) {
        outcomes[index] = { status: 'unchanged', record: current };
      } else pending.push({ input, current, index });
    });
    if (pending.length === 0) return outcomes as Outcome<Api>[];

    const existing = await loadExisting(tx, ctx.tenantId, def.references ? pending.flatMap((p) => def.references!(p.input)) : []);
    const facts = { ...((await def.facts?.(tx, ctx.tenantId, pending)) ?? ({} as Facts)), existing };
    const accepted = pending.filter((p) => {
      const problems = def.rules ? def.rules(p.input, p.current, facts) : [];
      if (problems.length) outcomes[p.index] = { status: 'refused', problems };
      return problems.length === 0;
    });
    if (accepted.length === 0) return outcomes as Outcome<Api>[];

    await def.beforeWrite?.(tx, ctx, accepted);
    const written = await writeRows(tx, ctx, mode, accepted);
    await def.afterWrite?.(tx, ctx, written).catch(translate);
    const records = byId(await def.present(tx, ctx.tenantId, written.map((w) => w.row)));
    written.forEach((w, i) => {
      outcomes[accepted[i]!.index] = { status: w.current ? 'updated' : 'created', record: records.get(w.row.id)! };
    });
    return outcomes as Outcome<Api>[];
  }

  /** The rows of a batch into the table, in as few statements as the mode allows; in batch order. */
  async function writeRows(tx: Tx, ctx: RequestContext, mode: Mode, accepted: Pending<Input, Api>[]): Promise<Written<Row, Input, Api>[]> {
    const values = accepted.map((p) => def.toValues(p.input));
    if (mode === 'insert') {
      const rows = await repo.insertMany(tx, ctx.tenantId, values).catch(translate);
      return accepted.map((p, i) => ({ ...p, row: rows[i]! }));
    }
    if (mode === 'update') {
      const rows: Row[] = [];
      for (const [i, p] of accepted.entries()) rows.push(await repo.updateOne(tx, ctx.tenantId, p.current!.id, values[i]!).catch(translate));
      return accepted.map((p, i) => ({ ...p, row: rows[i]! }));
    }
    const known = accepted.flatMap((p) => (p.current ? [p.current.id] : []));
    const { created, updated } = await repo.upsertMany(tx, ctx.tenantId, values as (Record<string, unknown> & { externalId: string })[], known).catch(translate);
    const byExternalId = new Map([...created, ...updated].map((r) => [r.externalId, r]));
    // A row whose columns are as stored changed in its child rows only: it still gets a new version.
    const childOnly = accepted.filter((p) => p.current && !byExternalId.has(p.input.externalId!)).map((p) => p.current!.id);
    for (const row of await repo.bumpVersions(tx, ctx.tenantId, childOnly)) byExternalId.set(row.externalId, row);
    const raced = accepted.filter((p) => !byExternalId.has(p.input.externalId!));
    if (raced.length) {
      // Another transaction created these external IDs after they were looked up: the caller retries them.
      throw new RacedUpsert(raced.map((p) => p.input.externalId!));
    }
    return accepted.map((p) => ({ ...p, row: byExternalId.get(p.input.externalId!)! }));
  }

  /** A batch of one, whose refusal is thrown: what REST and GraphQL see. */
  async function writeOne(tx: Tx, ctx: RequestContext, mode: Mode, pending: Pending<Input, Api>): Promise<Outcome<Api> & { status: 'created' | 'updated' | 'unchanged' }> {
    const [outcome] = await writeBatch(tx, ctx, mode, [pending]);
    if (outcome!.status === 'refused') throw problemsError(outcome!.problems);
    return outcome!;
  }

  const service = {
    async list(ctx: RequestContext, rawQuery: unknown, options: TxOptions = {}): Promise<Page<Api>> {
      requireScope(ctx, 'read');
      const query = parseInput(def.Query, rawQuery ?? {}, 'query');
      return readInTenant(ctx, options, async (tx) => {
        const page = pageOf(await repo.list(tx, ctx.tenantId, query), query.limit, encodeCursor);
        return { data: await def.present(tx, ctx.tenantId, page.rows), nextCursor: page.nextCursor };
      });
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
    async listByParents(ctx: RequestContext, parent: string, parentIds: readonly string[], first: number, options: TxOptions = {}): Promise<Map<string, ChildRecords<Api>>> {
      requireScope(ctx, 'read');
      const column = def.parents?.[parent];
      if (!column) throw new Error(`${def.noun}: no list by ${parent}`);
      const valid = [...new Set(parentIds.filter(isUuid).map((id) => id.toLowerCase()))];
      return readInTenant(ctx, options, async (tx) => {
        const pages = await repo.listByParents(tx, ctx.tenantId, column, valid, first);
        const records = byId(await def.present(tx, ctx.tenantId, [...pages.values()].flatMap((p) => p.rows)));
        return new Map(
          parentIds.map((id) => {
            const page = pages.get(id.toLowerCase()) ?? { rows: [], hasMore: false };
            return [id, { records: page.rows.map((r) => records.get(r.id)!), cursors: page.rows.map(encodeCursor), hasNextPage: page.hasMore }];
          }),
        );
      });
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
        if (options.cascade) await def.cascade(tx, ctx.tenantId, id);
        await repo.deleteMany(tx, ctx.tenantId, [id]);
      });
    },
  } satisfies EntityService<Api>;

  return { ...service, writeBatch };
}

/** Rows of an upsert that another transaction created in between: retried by the caller. */
export class RacedUpsert extends Error {
  constructor(readonly externalIds: string[]) {
    super(`created concurrently: ${externalIds.join(', ')}`);
    this.name = 'RacedUpsert';
  }
}
