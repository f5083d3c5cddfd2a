import { and, asc, count, eq, getTableColumns, gte, inArray, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import { rowsOf as resultRows, type Executor } from '../../db/client.js';
import { builtOnce } from '../../db/prepared-queries.js';
import { changeStamp } from './records.js';
import { afterCursor, decodeCursor } from './pagination.js';

// Tenant-scoped SQL for one entity table, in sets: a single row is a set of one. Every
// function takes the tenant explicitly and filters on it (row-level security is the second
// wall, not the first).

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

/** What a list asks: the entity's own filters, plus what every list takes. */
export interface ListParams<Query> {
  query: Query & { limit: number; cursor?: string; updatedSince?: string; externalId?: string };
}

export interface Upserted<Row> {
  created: Row[];
  updated: Row[];
}

/** What a write returns when its records are not shown (an import's batch): each row's keys. */
export interface RowKeys {
  id: string;
  externalId: string | null;
}

/** A stored row a write was checked against: replaced only while it is still at this version. */
export interface KnownRow {
  id: string;
  version: number;
}

/** Whether a write returns whole rows (to present them) or only their keys (cheaper to read back). */
export interface WriteReturning {
  keysOnly?: boolean;
}

/** The column a child names its parent by, or several (a child of each parent any of them names). */
export type ParentColumns = AnyPgColumn | readonly AnyPgColumn[];

/** The children of one parent: the first N, in keyset order, and whether more follow. */
export interface ChildPage<Row> {
  rows: Row[];
  hasMore: boolean;
}

// What every row read carries, whatever fields are asked: its identity and its cursor.
const ALWAYS_READ = new Set(['tenantId', 'id', 'createdAt']);

// Columns the service owns: never set from input, never compared to tell a change.
const OWNED = new Set(['tenantId', 'id', 'createdAt', 'updatedAt', 'version']);

export function createEntityRepository<Row extends EntityRow, Query>(table: EntityTable, filters: (query: Query) => SQL[]) {
  const t = table;
  const columns = getTableColumns(t) as Record<string, AnyPgColumn>;
  // The data columns, as `excluded.<name>` and as the stored value, to tell a change in SQL.
  const dataColumns = Object.entries(columns).filter(([key]) => !OWNED.has(key) && key !== 'externalId');
  const stored = sql.join(dataColumns.map(([, c]) => sql`${t}.${sql.identifier(c.name)}`), sql`, `);
  const incoming = sql.join(dataColumns.map(([, c]) => sql`excluded.${sql.identifier(c.name)}`), sql`, `);
  const rowsOf = (rows: unknown) => rows as Row[];
  const tenant = (tenantId: string) => eq(t.tenantId, tenantId);
  const order = [asc(t.createdAt), asc(t.id)];
  // What a list's filters ask, before the cursor: the same for a page, its count and the
  // children of many parents.
  const filtering = (query: Omit<ListParams<Query>['query'], 'limit'>): SQL[] => {
    const conditions: SQL[] = filters(query as Query);
    if (query.updatedSince) conditions.push(gte(t.updatedAt, new Date(query.updatedSince)));
    if (query.externalId) conditions.push(eq(t.externalId, query.externalId));
    return conditions;
  };
  const matching = (tenantId: string, query: Omit<ListParams<Query>['query'], 'limit'>): SQL[] => [tenant(tenantId), ...filtering(query)];
  // A child of `parents.parent_id`: by its one parent column, or by any of several (a person's
  // relationships either way, their interviews on either side).
  const childOf = (parent: ParentColumns): SQL =>
    Array.isArray(parent) ? sql`(${sql.join(parent.map((c) => sql`${c} = parents.parent_id`), sql` or `)})` : sql`${parent} = parents.parent_id`;
  // The hot reads, built once per executor: one statement text whatever the number of keys.
  const tenantParam = eq(t.tenantId, sql.placeholder('tenantId'));
  const BY_IDS = Symbol('selectByIds');
  const byIds = (db: Executor) =>
    builtOnce(db, BY_IDS, () => db.select().from(t).where(and(tenantParam, sql`${t.id} = any(${sql.placeholder('keys')}::uuid[])`)).prepare(''));

  // The rows a write was checked against, at the versions read (one JSON parameter, {id: version}):
  // a row another transaction changed or created since is left alone, and the caller retries it.
  const stillAsRead = (known: readonly KnownRow[]): SQL =>
    known.length ? sql`${t.version} = (${JSON.stringify(Object.fromEntries(known.map((k) => [k.id, k.version])))}::jsonb ->> ${t.id}::text)::int` : sql`false`;

  // Rows that all give the same fields, as one JSON parameter: a batch of 500 rows is one value
  // to bind and one statement to plan, where a multi-row VALUES is one parameter per cell (and,
  // through Drizzle, a type check on each: a quarter of an import's CPU).
  const sameKeys = (values: Record<string, unknown>[]) => {
    const keys = Object.keys(values[0]!).join();
    return values.every((v) => Object.keys(v).join() === keys && Object.values(v).every((x) => x !== undefined));
  };
  const byName = new Map(Object.entries(columns).map(([key, c]) => [c.name, [key, c] as const]));
  // A raw row as Drizzle maps one: keys by field, values as the column reads them (the embedded
  // engine hands timestamps over as text).
  const rowOf = (raw: Record<string, unknown>): Row & { inserted: boolean } => {
    const row: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(raw)) {
      const found = byName.get(name);
      if (!found) row[name] = value;
      else row[found[0]] = value === null ? null : found[1].mapFromDriverValue(value);
    }
    return row as unknown as Row & { inserted: boolean };
  };
  /**
   * Rows that give the same fields, written by one statement over one JSON parameter: an insert,
   * or (`upsert`) an upsert on the external ID that replaces a row only when one of its columns
   * differs and it is still as `known` has it. Each row comes back whole, or only its keys.
   */
  async function writeFromJson(
    db: Executor,
    tenantId: string,
    values: Record<string, unknown>[],
    options: WriteReturning & { upsert?: { known: readonly KnownRow[] } },
  ): Promise<Upserted<Row | RowKeys>> {
    const written = [['tenantId', columns.tenantId!] as const, ...Object.keys(values[0]!).map((key) => [key, columns[key]!] as const)];
    const names = sql.join(
      written.map(([, c]) => sql.identifier(c.name)),
      sql`, `,
    );
    const shape = sql.join(
      written.map(([, c]) => sql`${sql.identifier(c.name)} ${sql.raw(c.getSQLType())}`),
      sql`, `,
    );
    const json = JSON.stringify(values.map((v) => Object.fromEntries(written.map(([key, c]) => [c.name, key === 'tenantId' ? tenantId : v[key]]))));
    let conflict = sql``;
    if (options.upsert) {
      const update = sql.join(
        [...dataColumns.map(([, c]) => sql`${sql.identifier(c.name)} = excluded.${sql.identifier(c.name)}`), sql`version = ${t}.version + 1`, sql`updated_at = now()`],
        sql`, `,
      );
      conflict = sql` on conflict (tenant_id, external_id) do update set ${update} where ${stillAsRead(options.upsert.known)} and (${stored}) is distinct from (${incoming})`;
    }
    const returning = options.keysOnly ? sql`${t.id}, ${t.externalId}` : sql`*`;
    const rows = resultRows<Record<string, unknown>>(
      await db.execute(sql`insert into ${t} (${names}) select ${names} from jsonb_to_recordset(${json}::jsonb) as r(${shape})${conflict}
        returning ${returning}, (xmax = 0) as inserted`),
    );
    const created: (Row | RowKeys)[] = [];
    const updated: (Row | RowKeys)[] = [];
    for (const raw of rows) {
      const { inserted, ...row } = options.keysOnly ? { id: raw.id as string, externalId: raw.external_id as string | null, inserted: raw.inserted } : rowOf(raw);
      (inserted ? created : updated).push(row as Row | RowKeys);
    }
    return { created, updated };
  }

  const repository = {
    table: t,

    async selectByIds(db: Executor, tenantId: string, ids: readonly string[], options: { lock?: boolean } = {}): Promise<Row[]> {
      if (ids.length === 0) return [];
      if (!options.lock) return rowsOf(await byIds(db).execute({ tenantId, keys: [...ids] }));
      return rowsOf(await db.select().from(t).where(and(tenant(tenantId), inArray(t.id, [...ids]))).for('update'));
    },

    /**
     * The rows of these external IDs, each found by its own probe of the unique (tenant,
     * external ID) index: a LATERAL subquery kept apart (OFFSET 0), because after a bulk load,
     * before the table is analyzed, the planner believes the tenant small and would read all its
     * rows to filter them (80 ms a batch at 300,000 rows, against 1.5).
     */
    async selectByExternalIds(db: Executor, tenantId: string, externalIds: readonly string[], options: { lock?: boolean } = {}): Promise<Row[]> {
      if (externalIds.length === 0) return [];
      const lock = options.lock ? sql` for update` : sql``;
      const found = resultRows<Record<string, unknown>>(
        await db.execute(sql`select r.* from unnest(${sql.param([...externalIds])}::text[]) as k(external_id)
          cross join lateral (select * from ${t} where ${t.tenantId} = ${tenantId} and ${t.externalId} = k.external_id offset 0${lock}) r`),
      );
      return found.map((raw) => rowOf(raw) as Row);
    },

    /** One keyset page (and one row more, to tell whether another page follows). */
    async list(db: Executor, tenantId: string, query: ListParams<Query>['query']): Promise<Row[]> {
      const conditions = matching(tenantId, query);
      if (query.cursor) conditions.push(afterCursor(t as never, tenantId, decodeCursor(query.cursor)));
      return rowsOf(await db.select().from(t).where(and(...conditions)).orderBy(...order).limit(query.limit + 1));
    },

    /** How many rows a list's filters match, all pages together (GraphQL's totalCount). */
    async count(db: Executor, tenantId: string, query: Omit<ListParams<Query>['query'], 'limit'>): Promise<number> {
      return Number((await db.select({ n: count() }).from(t).where(and(...matching(tenantId, query))))[0]!.n);
    },

    /** The statement of `listByParents`, unrun (its plan is tested: N + 1 index entries a parent). */
    listByParentsQuery(db: Executor, tenantId: string, parent: ParentColumns, parentIds: readonly string[], limit: number, where: SQL[] = [], fields?: ReadonlySet<string>) {
      const parents = sql`(select unnest(${sql.param([...new Set(parentIds)])}::uuid[]) as parent_id) parents`;
      // The lateral part finds each parent's first ids in the index; the rows are then read by
      // primary key, so the columns selected are the table's own (an aliased subquery's columns
      // cost drizzle several times as much per cell to map).
      const child = db
        .select({ childId: t.id })
        .from(t)
        .where(and(tenant(tenantId), childOf(parent), ...where))
        .orderBy(...order)
        .limit(limit + 1)
        .as('child');
      // Asked for some fields only: their columns, and what a record always has.
      const selected = fields ? Object.fromEntries(Object.entries(columns).filter(([key]) => ALWAYS_READ.has(key) || fields.has(key))) : columns;
      return db
        .select({ ...selected, parentOfRow: sql<string>`parents.parent_id`.as('parent_of_row') } as never)
        .from(parents)
        .innerJoinLateral(child, sql`true`)
        .innerJoin(t, and(tenant(tenantId), eq(t.id, child.childId)))
        .orderBy(sql`parents.parent_id`, ...order);
    },

    /**
     * The first `limit` children of each parent (rows whose `parent` column names it), in one
     * statement: a lateral join walks each parent's slice of the index and stops at limit + 1.
     */
    async listByParents(
      db: Executor,
      tenantId: string,
      parent: ParentColumns,
      parentIds: readonly string[],
      limit: number,
      where: SQL[] = [],
      fields?: ReadonlySet<string>,
    ): Promise<Map<string, ChildPage<Row>>> {
      const pages = new Map<string, ChildPage<Row>>(parentIds.map((id) => [id, { rows: [], hasMore: false }]));
      if (parentIds.length === 0) return pages;
      const rows = await repository.listByParentsQuery(db, tenantId, parent, parentIds, limit, where, fields);
      for (const { parentOfRow, ...row } of rows as unknown as (Row & { parentOfRow: string })[]) {
        const page = pages.get(parentOfRow)!;
        if (page.rows.length < limit) page.rows.push(row as unknown as Row);
        else page.hasMore = true;
      }
      return pages;
    },

    /** How many children each parent has, in one statement (a to-many relation's totalCount). */
    async countByParents(db: Executor, tenantId: string, parent: ParentColumns, parentIds: readonly string[], where: SQL[] = []): Promise<Map<string, number>> {
      const counts = new Map<string, number>(parentIds.map((id) => [id, 0]));
      if (parentIds.length === 0) return counts;
      // A count per parent beside it (not a GROUP BY): a child may belong to a parent by either
      // of two columns, and then counts once for each parent it names.
      const rows = await db
        .select({ parentId: sql<string>`parents.parent_id`, n: sql<number>`(select count(*) from ${t} where ${and(tenant(tenantId), childOf(parent), ...where)})` })
        .from(sql`(select unnest(${sql.param([...new Set(parentIds)])}::uuid[]) as parent_id) parents`);
      for (const row of rows) counts.set(row.parentId, Number(row.n));
      return counts;
    },

    /** The conditions of a list's filters (not its cursor), for the children of many parents. */
    filtersOf(query: Omit<ListParams<Query>['query'], 'limit'>): SQL[] {
      return filtering(query);
    },

    insertMany: (async (db: Executor, tenantId: string, values: Record<string, unknown>[], options: WriteReturning = {}): Promise<(Row | RowKeys)[]> => {
      if (values.length === 0) return [];
      if (values.length > 1 && sameKeys(values)) return (await writeFromJson(db, tenantId, values, options)).created;
      return rowsOf(await db.insert(t).values(values.map((v) => ({ ...v, tenantId })) as never).returning());
    }) as {
      (db: Executor, tenantId: string, values: Record<string, unknown>[], options?: { keysOnly?: false }): Promise<Row[]>;
      (db: Executor, tenantId: string, values: Record<string, unknown>[], options: WriteReturning): Promise<(Row | RowKeys)[]>;
    },

    /**
     * Creates or replaces by external ID, in one statement. A row is replaced only when one of its
     * columns differs (its version and updated_at move only then), and only if it is still as
     * `known` (what the caller read and checked) has it: a row that another transaction inserted
     * or changed meanwhile is left alone and comes back in neither list (the caller retries it).
     */
    upsertMany: (async (
      db: Executor,
      tenantId: string,
      values: (Record<string, unknown> & { externalId: string })[],
      known: readonly KnownRow[] = [],
      options: WriteReturning = {},
    ): Promise<Upserted<Row | RowKeys>> => {
      if (values.length === 0) return { created: [], updated: [] };
      if (values.length > 1 && sameKeys(values)) return writeFromJson(db, tenantId, values, { ...options, upsert: { known } });
      const set = Object.fromEntries(dataColumns.map(([key, c]) => [key, sql`excluded.${sql.identifier(c.name)}`]));
      const rows = (await db
        .insert(t)
        .values(values.map((v) => ({ ...v, tenantId })) as never)
        .onConflictDoUpdate({
          target: [t.tenantId, t.externalId],
          set: { ...set, ...changeStamp(t) } as never,
          setWhere: and(stillAsRead(known), sql`(${stored}) is distinct from (${incoming})`),
        })
        .returning({ ...columns, inserted: sql<boolean>`(xmax = 0)` } as never)) as unknown as (Row & { inserted: boolean })[];
      const created: Row[] = [];
      const updated: Row[] = [];
      for (const { inserted, ...row } of rows) (inserted ? created : updated).push(row as unknown as Row);
      return { created, updated };
    }) as {
      (db: Executor, tenantId: string, values: (Record<string, unknown> & { externalId: string })[], known?: readonly KnownRow[], options?: { keysOnly?: false }): Promise<Upserted<Row>>;
      (db: Executor, tenantId: string, values: (Record<string, unknown> & { externalId: string })[], known: readonly KnownRow[], options: WriteReturning): Promise<Upserted<Row | RowKeys>>;
    },

    async updateOne(db: Executor, tenantId: string, id: string, values: Record<string, unknown>): Promise<Row> {
      const [row] = rowsOf(await db.update(t).set({ ...values, ...changeStamp(t) } as never).where(and(tenant(tenantId), eq(t.id, id))).returning());
      return row!;
    },

    /** A change made in child rows only: the next version and updated_at, nothing else. */
    async bumpVersions(db: Executor, tenantId: string, known: readonly KnownRow[]): Promise<Row[]> {
      if (known.length === 0) return [];
      const ids = known.map((k) => k.id);
      return rowsOf(await db.update(t).set(changeStamp(t) as never).where(and(tenant(tenantId), inArray(t.id, ids), stillAsRead(known))).returning());
    },

    async deleteMany(db: Executor, tenantId: string, ids: readonly string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const deleted = await db.delete(t).where(and(tenant(tenantId), inArray(t.id, [...ids]))).returning({ id: t.id });
      return deleted.length;
    },
  };
  return repository;
}

export type EntityRepository<Row extends EntityRow, Query> = ReturnType<typeof createEntityRepository<Row, Query>>;
