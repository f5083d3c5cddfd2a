import { and, asc, eq, getTableColumns, inArray } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { translateDbError } from './db-errors.js';

// A record's ordered list kept as child rows (an interview's referrals, a strategy's target
// organizations and informing interviews): one row per element, `position` = its index.

export type ChildTable = PgTable & { tenantId: AnyPgColumn; position: AnyPgColumn };

export interface ChildList<Item> {
  table: ChildTable;
  /** The column naming the parent record. */
  parent: AnyPgColumn;
  /** An element as the row's columns (besides tenant, parent and position), and back. */
  toColumns(item: Item): Record<string, unknown>;
  fromRow(row: Record<string, unknown>): Item;
  /** Constraint names to input paths, for a reference that vanished between check and write. */
  constraintPaths: Record<string, string>;
  noun: string;
}

// The parent column's property name on the table, e.g. `interviewId`.
const keyOf = (list: ChildList<unknown>): string =>
  Object.entries(getTableColumns(list.table)).find(([, column]) => column === list.parent)?.[0] as string;

/** Every parent's list, in one query, each in its order; a parent without elements has []. */
export async function loadChildLists<Item>(db: Executor, tenantId: string, list: ChildList<Item>, parentIds: readonly string[]): Promise<Map<string, Item[]>> {
  const lists = new Map<string, Item[]>(parentIds.map((id) => [id, []]));
  if (parentIds.length === 0) return lists;
  const rows = (await db
    .select()
    .from(list.table)
    .where(and(eq(list.table.tenantId, tenantId), inArray(list.parent, [...parentIds])))
    .orderBy(asc(list.parent), asc(list.table.position))) as Record<string, unknown>[];
  const parentKey = keyOf(list);
  for (const row of rows) lists.get(row[parentKey] as string)?.push(list.fromRow(row));
  return lists;
}

/** Replaces the lists of many parents: one delete and one insert for the whole batch. */
export async function replaceChildLists<Item>(db: Executor, tenantId: string, list: ChildList<Item>, lists: Map<string, Item[]>): Promise<void> {
  if (lists.size === 0) return;
  await db.delete(list.table).where(and(eq(list.table.tenantId, tenantId), inArray(list.parent, [...lists.keys()])));
  const parentKey = keyOf(list);
  const rows = [...lists].flatMap(([parentId, items]) => items.map((item, position) => ({ tenantId, [parentKey]: parentId, position, ...list.toColumns(item) })));
  if (rows.length === 0) return;
  await db
    .insert(list.table)
    .values(rows as never)
    .catch((err: unknown) => translateDbError(err, list.constraintPaths, list.noun));
}
