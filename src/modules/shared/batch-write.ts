import type { RequestContext } from '../../context.js';
import type { Tx } from '../../db/client.js';
import type { ListQuery } from './common.schemas.js';
import { translateDbError } from './db-errors.js';
import type { EntityDefinition, EntityRow, Pending, Written } from './entity-definition.js';
import type { RowKeys } from './entity.repository.js';
import { withoutRecordFields } from './entity-definition.js';
import { canonical } from './merge-patch.js';
import { loadExisting } from './references.js';
import { problemsError, type Problem } from './rules.js';
import { parseInput } from './validation.js';

/** How a batch reaches the table: new rows, a row changed by id, or rows by external ID. */
export type Mode = 'insert' | 'update' | 'upsert';

/** A row of a batch after its rules ran: written, unchanged, or refused with its problems. */
export type Outcome<Api> = { status: 'created' | 'updated' | 'unchanged'; record: Api } | { status: 'refused'; problems: Problem[] };

/** Column values equal as PostgreSQL compares them: timestamps by instant, arrays by element, JSON by content. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Date) return b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  return canonical(a) === canonical(b);
}

export interface BatchOptions {
  /** The stored rows under the batch's current records, by id, when the caller has them (an import). */
  stored?: ReadonlyMap<string, EntityRow>;
}

/** The one write path of an entity, for its service (and, batched, for imports). */
export function createBatchWriter<Row extends EntityRow, Input extends { externalId?: string | null }, Api extends { id: string; version: number }, Query extends ListQuery, Facts extends object>(
  def: EntityDefinition<Row, Input, Api, Query, Facts>,
) {
  const repo = def.repository;
  const toInput = def.toInput ?? withoutRecordFields;
  const translate = (err: unknown): never => translateDbError(err, def.constraintPaths, def.noun);
  const byId = <T extends { id: string }>(records: T[]) => new Map(records.map((r) => [r.id, r]));

  /**
   * The one write path. Each row is prepared against what it replaces, compared (a row that
   * changes nothing is left alone), checked by the entity's pure rules over facts loaded once
   * for the batch, then the batch is written set-based, its children after it. With
   * `records: false` (an import, which shows no record), only the rows' keys are read back and
   * nothing is presented: each outcome's record is null.
   */
  async function writeBatch(tx: Tx, ctx: RequestContext, mode: Mode, batch: Pending<Input, Api>[]): Promise<Outcome<Api>[]>;
  async function writeBatch(tx: Tx, ctx: RequestContext, mode: Mode, batch: Pending<Input, Api>[], options: BatchOptions & { records: false }): Promise<Outcome<null>[]>;
  async function writeBatch(tx: Tx, ctx: RequestContext, mode: Mode, batch: Pending<Input, Api>[], options: BatchOptions & { records?: boolean } = {}): Promise<Outcome<Api | null>[]> {
    const records = options.records ?? true;
    const outcomes: (Outcome<Api | null> | null)[] = batch.map(() => null);
    const pending: (Pending<Input, Api> & { index: number })[] = [];
    const unchanged = (input: Input, current: Api): boolean => {
      // An entity whose record is its row (no child rows): its columns compared as the upsert's
      // IS DISTINCT FROM compares them, without parsing the record back into input.
      const row = (def.afterWrite ? undefined : options.stored?.get(current.id)) as Record<string, unknown> | undefined;
      const values = row ? Object.entries(def.toValues(input)) : [];
      // (A value left out, or a field that is no column, is the long way's to judge.)
      if (row && values.every(([key, v]) => v !== undefined && key in row)) return values.every(([key, v]) => sameValue(v, row[key]));
      return canonical(parseInput(def.Input, toInput(current))) === canonical(input);
    };
    batch.forEach(({ input: given, current }, index) => {
      const input = def.prepare ? def.prepare(given, current) : given;
      if (current && unchanged(input, current)) {
        outcomes[index] = { status: 'unchanged', record: records ? current : null };
      } else pending.push({ input, current, index });
    });
    if (pending.length === 0) return outcomes as Outcome<Api | null>[];

    const existing = await loadExisting(tx, ctx.tenantId, def.references ? pending.flatMap((p) => def.references!(p.input)) : []);
    const facts = { ...((await def.facts?.(tx, ctx.tenantId, pending)) ?? ({} as Facts)), existing };
    const accepted = pending.filter((p) => {
      const problems = def.rules ? def.rules(p.input, p.current, facts) : [];
      if (problems.length) outcomes[p.index] = { status: 'refused', problems };
      return problems.length === 0;
    });
    if (accepted.length === 0) return outcomes as Outcome<Api | null>[];

    await def.beforeWrite?.(tx, ctx, accepted);
    const written = await writeRows(tx, ctx, mode, accepted, !records);
    await def.afterWrite?.(tx, ctx, written).catch(translate);
    const shown = records ? byId(await def.present(tx, ctx.tenantId, written.map((w) => w.row as Row))) : undefined;
    written.forEach((w, i) => {
      outcomes[accepted[i]!.index] = { status: w.current ? 'updated' : 'created', record: shown ? shown.get(w.row.id)! : null };
    });
    return outcomes as Outcome<Api | null>[];
  }

  /** The rows of a batch into the table, in as few statements as the mode allows; in batch order. */
  async function writeRows(tx: Tx, ctx: RequestContext, mode: Mode, accepted: Pending<Input, Api>[], keysOnly: boolean): Promise<Written<Row | RowKeys, Input, Api>[]> {
    const values = accepted.map((p) => def.toValues(p.input));
    if (mode === 'insert') {
      const rows = await repo.insertMany(tx, ctx.tenantId, values, { keysOnly }).catch(translate);
      return accepted.map((p, i) => ({ ...p, row: rows[i]! }));
    }
    if (mode === 'update') {
      const rows: Row[] = [];
      for (const [i, p] of accepted.entries()) rows.push(await repo.updateOne(tx, ctx.tenantId, p.current!.id, values[i]!).catch(translate));
      return accepted.map((p, i) => ({ ...p, row: rows[i]! }));
    }
    const known = accepted.flatMap((p) => (p.current ? [{ id: p.current.id, version: p.current.version }] : []));
    const { created, updated } = await repo.upsertMany(tx, ctx.tenantId, values as (Record<string, unknown> & { externalId: string })[], known, { keysOnly }).catch(translate);
    const byExternalId = new Map<string | null, Row | RowKeys>([...created, ...updated].map((r) => [r.externalId, r]));
    // A row whose columns are as stored changed in its child rows only: it still gets a new version.
    const childOnly = accepted.filter((p) => p.current && !byExternalId.has(p.input.externalId!)).map((p) => ({ id: p.current!.id, version: p.current!.version }));
    for (const row of await repo.bumpVersions(tx, ctx.tenantId, childOnly)) byExternalId.set(row.externalId, row);
    const raced = accepted.filter((p) => !byExternalId.has(p.input.externalId!));
    if (raced.length) {
      // Another transaction created or changed these after they were read: the caller retries them.
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

  return { writeBatch, writeOne };
}

/** Rows of an upsert that another transaction created in between: retried by the caller. */
export class RacedUpsert extends Error {
  constructor(readonly externalIds: string[]) {
    super(`created concurrently: ${externalIds.join(', ')}`);
    this.name = 'RacedUpsert';
  }
}
