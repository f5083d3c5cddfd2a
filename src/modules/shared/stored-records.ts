import { getTableColumns } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import type { ChildList } from './child-lists.js';
import type { EntityDefinition, EntityRow } from './entity-definition.js';

// Records from rows kept as PostgreSQL wrote them with to_jsonb() (column names, timestamps as
// text): what the change feed holds (drizzle/0010_event_triggers.sql). They are made records by
// the entity's own `present`, as a read makes them, so an event's data is what GET shows.

/** A row's JSON (column names) as the table's row object (property names, Dates). */
function rowOf(columns: [string, AnyPgColumn][], json: Record<string, unknown>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, column] of columns) {
    const value = json[column.name];
    row[key] = value != null && column.columnType === 'PgTimestamp' ? new Date(value as string) : (value ?? null);
  }
  return row;
}

/** Stored rows (and the child lists the outbox adds under their fields) as this entity's records. */
export function storedRecords<Row extends EntityRow, Api>(def: {
  repository: { table: unknown };
  present(tx: Executor, tenantId: string, rows: Row[], fields?: ReadonlySet<string>): Promise<Api[]>;
  childLists?: EntityDefinition<Row, never, never, never>['childLists'];
}) {
  const columns = Object.entries(getTableColumns(def.repository.table as PgTable) as Record<string, AnyPgColumn>);
  const fieldOfColumn = new Map(columns.map(([key, column]) => [column.name, key]));
  const lists = Object.entries(def.childLists ?? {}).map(([field, list]) => {
    const listColumns = Object.entries(getTableColumns(list.table) as Record<string, AnyPgColumn>);
    return { field, list: list as ChildList<unknown>, listColumns };
  });
  // Every column's field: `present` then reads no child list (those come from the stored JSON).
  const fields = new Set(columns.map(([key]) => key));
  return {
    /** A changed column's record field (a child list is already named by its field). */
    fieldOf: (name: string): string => fieldOfColumn.get(name) ?? name,
    async records(tx: Executor, tenantId: string, stored: Record<string, unknown>[]): Promise<Api[]> {
      const records = (await def.present(tx, tenantId, stored.map((json) => rowOf(columns, json) as Row), fields)) as Record<string, unknown>[];
      records.forEach((record, i) => {
        for (const { field, list, listColumns } of lists) {
          const items = (stored[i]![field] ?? []) as Record<string, unknown>[];
          record[field] = items.map((item) => list.fromRow(rowOf(listColumns, item)));
        }
      });
      return records as Api[];
    },
  };
}
