import type { SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import type { RequestContext } from '../../context.js';
import type { Tx } from '../../db/client.js';
import type { IdempotencyRequest } from '../idempotency/idempotency.service.js';
import type { ListQuery } from './common.schemas.js';

// The contract between an entity module and the shared entity service (entity-service.ts).

export type EntityTable = PgTable & {
  tenantId: AnyPgColumn;
  id: AnyPgColumn;
  externalId: AnyPgColumn;
  createdAt: AnyPgColumn;
  updatedAt: AnyPgColumn;
  version: AnyPgColumn;
};

export interface EntityRow {
  id: string;
  tenantId: string;
  externalId: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** What one entity tells the shared service: its schemas, its mapping, its rules. */
export interface EntityDefinition<Row extends EntityRow, Input extends { externalId?: string | null }, Api extends { id: string; version: number }, Query extends ListQuery> {
  /** How a record is named in messages: "organization". */
  noun: string;
  table: EntityTable;
  Input: z.ZodType<Input>;
  Query: z.ZodType<Query>;
  /** Rows as API records, in order; child rows are loaded here in one query. */
  present(tx: Tx, tenantId: string, rows: Row[]): Promise<Api[]>;
  /**
   * A record back in input form: what a merge patch applies to and an upsert compares with.
   * Default: the record without its server-owned fields.
   */
  toInput?(record: Api): Record<string, unknown>;
  /** Input as column values (no tenant, id or stamps). */
  toValues(input: Input): Record<string, unknown>;
  filters(query: Query): SQL[];
  /** Defaults that depend on the stored record (`current`, null on create), before comparing and checking. */
  prepare?(input: Input, current: Api | null): Input;
  /** Rules and references before a write; `current` is null on create. */
  check?(tx: Tx, ctx: RequestContext, input: Input, current: Api | null): Promise<void>;
  /** Child rows and side effects after a write. */
  afterWrite?(tx: Tx, ctx: RequestContext, row: Row, input: Input, current: Api | null): Promise<void>;
  /** Counts of the records that refer to this one, by name; zero counts may be left out. */
  dependents(tx: Tx, tenantId: string, id: string): Promise<Record<string, number>>;
  /** Deletes what requires the record and clears optional references to it. */
  cascade(tx: Tx, tenantId: string, id: string): Promise<void>;
  /** Constraint names to input fields, for violations a concurrent request causes. */
  constraintPaths: Record<string, string>;
}

export interface Page<Api> {
  data: Api[];
  nextCursor: string | null;
}

/** The default `toInput`: a record less the fields the service owns. */
export const withoutRecordFields = <Api extends { id: string; version: number }>(record: Api): Record<string, unknown> => {
  const { id: _id, createdAt: _c, updatedAt: _u, version: _v, ...input } = record as Api & { createdAt?: unknown; updatedAt?: unknown };
  return input;
};

export interface CreateOptions {
  /** Makes the create safe to retry: the first answer is replayed (see idempotency.service.ts). */
  idempotency?: IdempotencyRequest;
}

export interface Created<Api> {
  record: Api;
  /** True when this is the first answer to the same Idempotency-Key, replayed. */
  replayed: boolean;
}

export type EntityService<Api> = {
  list(ctx: RequestContext, query: unknown): Promise<Page<Api>>;
  get(ctx: RequestContext, id: string): Promise<Api>;
  getManyByIds(ctx: RequestContext, ids: readonly string[]): Promise<(Api | null)[]>;
  create(ctx: RequestContext, input: unknown, options?: CreateOptions): Promise<Created<Api>>;
  update(ctx: RequestContext, id: string, patch: unknown, expectedVersion?: number): Promise<Api>;
  upsert(ctx: RequestContext, externalId: string, input: unknown): Promise<{ record: Api; created: boolean }>;
  remove(ctx: RequestContext, id: string, options?: { cascade?: boolean }): Promise<void>;
};
