import type { z } from 'zod';
import type { RequestContext } from '../../context.js';
import type { Executor, Tx } from '../../db/client.js';
import type { IdempotencyRequest } from '../idempotency/idempotency.service.js';
import type { ListQuery } from './common.schemas.js';
import type { EntityRepository, EntityRow, ParentColumns, RowKeys } from './entity.repository.js';
import type { Existing, Reference } from './references.js';
import type { Problem } from './rules.js';
import type { JsonTree, TreeSource } from './json-tree.js';
import type { ChildList } from './child-lists.js';

// The contract between an entity module and the shared entity service (entity-service.ts).

export type { EntityRow, EntityTable } from './entity.repository.js';

/** A row about to be written, with what is stored under it (null when it is new). */
export interface Pending<Input, Api> {
  input: Input;
  current: Api | null;
}

/** A row written, with its input and what it replaced. */
export interface Written<Row, Input, Api> extends Pending<Input, Api> {
  row: Row;
}

/** What one entity tells the shared service: its schemas, its repository, its rules. */
export interface EntityDefinition<Row extends EntityRow, Input extends { externalId?: string | null }, Api extends { id: string; version: number }, Query extends ListQuery, Facts = object> {
  /** How a record is named in messages: "organization". */
  noun: string;
  repository: EntityRepository<Row, Query>;
  Input: z.ZodType<Input>;
  Query: z.ZodType<Query>;
  /** Rows as API records, in order; child rows are loaded here, once for all the rows. */
  /**
   * Rows as records. With `fields` (a GraphQL relation's selection), only those record fields
   * are asked for: the rows hold only their columns, and child lists not asked are not read.
   */
  present(tx: Executor, tenantId: string, rows: Row[], fields?: ReadonlySet<string>): Promise<Api[]>;
  /**
   * `present` reads (child lists): a read of this entity is more than one statement. Without
   * it, a read is one statement, and its transaction opens and commits in one message.
   */
  presentReads?: boolean;
  /**
   * A record back in input form: what a merge patch applies to and an upsert compares with.
   * Default: the record without its server-owned fields.
   */
  toInput?(record: Api): Record<string, unknown>;
  /** Input as column values (no tenant, id or stamps). */
  toValues(input: Input): Record<string, unknown>;
  /** Defaults that depend on the stored record (`current`, null on create), before comparing and checking. Pure. */
  prepare?(input: Input, current: Api | null): Input;
  /** The records an input refers to, each checked to exist in the tenant (one query per table per batch). Pure. */
  references?(input: Input): Reference[];
  /** What else the rules of a batch need to know, in a few set-based statements. */
  facts?(tx: Tx, tenantId: string, pending: Pending<Input, Api>[]): Promise<Facts>;
  /** Every problem of one row: a pure function of the row, its stored state and the facts. */
  rules?(input: Input, current: Api | null, facts: Facts & { existing: Existing }): Problem[];
  /** Side effects a batch needs before it is written (e.g. archiving another active strategy). */
  beforeWrite?(tx: Tx, ctx: RequestContext, pending: Pending<Input, Api>[]): Promise<void>;
  /** Child rows and side effects after a batch is written, set-based (of each row, its keys: an import reads back no more). */
  afterWrite?(tx: Tx, ctx: RequestContext, written: Written<RowKeys, Input, Api>[]): Promise<void>;
  /** Counts of the records that refer to this one, by name; zero counts may be left out. */
  dependents(tx: Tx, tenantId: string, id: string): Promise<Record<string, number>>;
  /**
   * Deletes what requires the record and clears optional references to it; `dependents` are the
   * counts just read (a dependent that cannot be cascaded refuses here).
   */
  cascade(tx: Tx, tenantId: string, id: string, dependents: Record<string, number>): Promise<void>;
  /** Constraint names to input fields, for violations a concurrent request causes. */
  constraintPaths: Record<string, string>;
  /**
   * The columns children are listed by, for `listByParents` (GraphQL's to-many relations); a
   * list of columns lists the children that name the parent in any of them.
   */
  parents?: Record<string, ParentColumns>;
  /**
   * The record fields that are their column as stored (what `recordOf` makes of it; `present`
   * changes nothing of them): every column but `except`. Given, GraphQL may read this entity in
   * a tree of relations built as JSON in SQL (json-tree.ts); left out, never.
   */
  recordColumns?: { except?: readonly string[] };
  /**
   * The record fields kept as child rows, by field: the change feed's triggers add them to an
   * event's data at commit (drizzle/0010, icrm_event_children, names them the same).
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any item type: the feed only calls fromRow
  childLists?: Record<string, ChildList<any>>;
}

export interface Page<Api> {
  data: Api[];
  nextCursor: string | null;
}

/** The first records of one parent, with each one's cursor, and whether more follow. */
export interface ChildRecords<Api> {
  records: Api[];
  /** Absent: each record's own, from its id and createdAt. */
  cursors?: string[];
  hasNextPage: boolean;
}

/** The default `toInput`: a record less the fields the service owns. */
export const withoutRecordFields = <Api extends { id: string; version: number }>(record: Api): Record<string, unknown> => {
  const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...input } = record as Api & { createdAt?: unknown; updatedAt?: unknown };
  return input;
};

/** Every service method runs in its own tenant transaction, or inside the one it is given. */
export interface TxOptions {
  tx?: Tx;
}

/** Which children of each parent: after a cursor, and matching a list's filters (as `list` takes them). */
export interface ChildListOptions extends TxOptions {
  after?: string | null;
  filter?: Record<string, unknown>;
  /**
   * Only these record fields are asked for (a GraphQL selection): the records carry them, their
   * id and createdAt, and nothing else. Left out: whole records.
   */
  fields?: ReadonlySet<string>;
  /**
   * The children as JSON built in SQL, in one statement, with relations under them (see
   * json-tree.ts); `fields` is then unused. For an entity without `recordColumns`, ignored.
   */
  tree?: JsonTree;
}

export interface CreateOptions extends TxOptions {
  /** Makes the create safe to retry: the first answer is replayed (see idempotency.service.ts). */
  idempotency?: IdempotencyRequest;
}

export interface Created<Api> {
  record: Api;
  /** True when this is the first answer to the same Idempotency-Key, replayed. */
  replayed: boolean;
}

export type EntityService<Api> = {
  list(ctx: RequestContext, query: unknown, options?: TxOptions): Promise<Page<Api>>;
  count(ctx: RequestContext, query: unknown, options?: TxOptions): Promise<number>;
  get(ctx: RequestContext, id: string, options?: TxOptions): Promise<Api>;
  getManyByIds(ctx: RequestContext, ids: readonly string[], options?: TxOptions): Promise<(Api | null)[]>;
  getManyByExternalIds(ctx: RequestContext, externalIds: readonly string[], options?: TxOptions): Promise<(Api | null)[]>;
  listByParents(ctx: RequestContext, parent: string, parentIds: readonly string[], first: number, options?: ChildListOptions): Promise<Map<string, ChildRecords<Api>>>;
  /** This entity as a JSON tree reads it (null: its records are not built in SQL). */
  treeSource: TreeSource | null;
  countByParents(ctx: RequestContext, parent: string, parentIds: readonly string[], options?: ChildListOptions): Promise<Map<string, number>>;
  create(ctx: RequestContext, input: unknown, options?: CreateOptions): Promise<Created<Api>>;
  update(ctx: RequestContext, id: string, patch: unknown, expectedVersion?: number, options?: TxOptions): Promise<Api>;
  upsert(ctx: RequestContext, externalId: string, input: unknown, options?: TxOptions): Promise<{ record: Api; created: boolean }>;
  remove(ctx: RequestContext, id: string, options?: { cascade?: boolean } & TxOptions): Promise<void>;
};
