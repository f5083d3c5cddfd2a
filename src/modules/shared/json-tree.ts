import { and, eq, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { EntityTable, ParentColumns } from './entity.repository.js';

// A tree of records and their relations as ONE statement that builds the JSON in PostgreSQL
// (GraphQL's nested reads: src/graphql/sql-relations.ts makes the tree from a selection). Each
// level is a correlated subquery: the first N children of the row above in (created_at, id)
// order, or the one record the row above names. Only what the tree asks crosses the wire, as
// one JSON value per parent; no row becomes an object on the way.

/** An entity as a tree reads it: its table, the record fields that are their column as stored, its list conditions. */
export interface TreeSource {
  table: EntityTable;
  /** Record field -> column, for the fields whose record value is the column's (see `recordOf`). */
  columns: ReadonlyMap<string, AnyPgColumn>;
  /** The conditions of a child list (its filter and cursor), checked as a list checks them: a bad one throws. */
  where(tenantId: string, options: { after?: string | null; filter?: Record<string, unknown> }): SQL[];
  /** The column(s) children name a parent by (`organizationId`, `requesterOrIntervieweeId`); throws for an unknown one. */
  parentColumn(parent: string): ParentColumns;
}

/**
 * Which records of a source, and what of each: fields (columns, `id` and `createdAt` too when
 * a cursor or a count needs them) and relations under `@<key>`.
 */
export interface JsonTree {
  source: TreeSource;
  fields: ReadonlySet<string>;
  relations: TreeRelation[];
}

export type TreeRelation =
  /** The record the row names by `idField` (or null), under `@<key>`. */
  | { key: string; kind: 'one'; idField: string; tree: JsonTree }
  /** The first `first` + 1 children (the extra one tells a next page), under `@<key>`. */
  | { key: string; kind: 'many'; parent: ParentColumns; where: SQL[]; first: number; tree: JsonTree };

/** Where a relation's answer sits in its parent's JSON: no GraphQL name starts with `@`. */
export const treeKey = (key: string): string => `@${key}`;

/** json_build_object takes at most 100 arguments: 50 fields and relations a record. */
export const MAX_TREE_KEYS = 50;

// As Date.prototype.toISOString() writes it (what recordOf makes of a timestamp): UTC, milliseconds, Z.
export const isoOf = (ref: SQL): SQL => sql`to_char(${ref} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The statement: for each parent id, `children`, the JSON array of its first `first` + 1
 * children under `parent` (with `where`), each as `tree` asks.
 */
export function childTreesStatement(tenantId: string, tree: JsonTree, parent: ParentColumns, parentIds: readonly string[], first: number, where: SQL[]): SQL {
  let aliases = 0;
  const rowRef = (): SQL => sql`${sql.identifier(`t${++aliases}`)}`;
  const columnOf = (row: SQL, column: AnyPgColumn) => sql`${row}.${sql.identifier(column.name)}`;
  const childOf = (columns: ParentColumns, parentRef: SQL): SQL =>
    Array.isArray(columns) ? sql`(${sql.join(columns.map((c) => sql`${c} = ${parentRef}`), sql` or `)})` : sql`${columns as AnyPgColumn} = ${parentRef}`;

  const objectOf = (row: SQL, { source, fields, relations }: JsonTree): SQL => {
    const t = source.table;
    const pairs: SQL[] = [];
    for (const field of fields) {
      const column = source.columns.get(field)!;
      const value = column.columnType === 'PgTimestamp' ? isoOf(columnOf(row, column)) : columnOf(row, column);
      pairs.push(sql`${field}::text, ${value}`);
    }
    for (const relation of relations) {
      const target = relation.tree.source.table;
      const value =
        relation.kind === 'one'
          ? one(relation.tree, columnOf(row, (t as unknown as Record<string, AnyPgColumn>)[relation.idField]!), target)
          : many(relation.tree, childOf(relation.parent, columnOf(row, t.id)), relation.where, relation.first);
      pairs.push(sql`${treeKey(relation.key)}::text, ${value}`);
    }
    return sql`json_build_object(${sql.join(pairs, sql`, `)})`;
  };
  // The record a row names, read by primary key.
  const one = (tree: JsonTree, id: SQL, t: EntityTable): SQL => {
    const row = rowRef();
    return sql`(select ${objectOf(row, tree)} from ${t} ${row} where ${row}.tenant_id = ${tenantId} and ${row}.id = ${id})`;
  };
  // The first children in list order (one more than asked), from the list's own index range.
  const many = (tree: JsonTree, linked: SQL, conditions: SQL[], limit: number): SQL => {
    const t = tree.source.table;
    const row = rowRef();
    const page = sql`select * from ${t} where ${and(eq(t.tenantId, tenantId), linked, ...conditions)} order by ${t.createdAt}, ${t.id} limit ${limit + 1}`;
    return sql`(select coalesce(json_agg(${objectOf(row, tree)} order by ${row}.created_at, ${row}.id), '[]'::json) from (${page}) ${row})`;
  };

  const parents = sql`unnest(${sql.param([...parentIds])}::uuid[]) as parents(parent_id)`;
  return sql`select parents.parent_id as "parentId", ${many(tree, childOf(parent, sql`parents.parent_id`), where, first)} as children from ${parents}`;
}
