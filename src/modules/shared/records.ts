import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';

/** What every change of a record sets: the next version and updated_at. Callers add the fields they change. */
export const changeStamp = (table: { version: AnyPgColumn }): { version: SQL; updatedAt: SQL } => ({
  version: sql`${table.version} + 1`,
  updatedAt: sql`now()`,
});

/** A timestamp column as the API shows it. */
export const iso = (value: Date | null | undefined): string | null => (value ? value.toISOString() : null);

/** An API date-time (already normalised to UTC by the input schema) as a column value. */
export const dateOf = (value: string | null | undefined): Date | null => (value ? new Date(value) : null);

type Iso<T> = T extends Date ? string : T;
/** A row as a record: no tenant, timestamps as ISO 8601 strings. */
export type RecordOf<Row> = { [K in Exclude<keyof Row, 'tenantId'>]: Iso<Row[K]> };

/**
 * A row as the API shows it. Columns and record fields share their names, so one function
 * serves every entity; the response schema still decides what leaves.
 */
export function recordOf<Row extends { tenantId: string }>(row: Row): RecordOf<Row> {
  // A plain loop: this runs for every row of every page, and allocates only the record.
  const record: Record<string, unknown> = {};
  for (const key in row) {
    if (key === 'tenantId') continue;
    const value: unknown = row[key];
    record[key] = value instanceof Date ? value.toISOString() : value;
  }
  return record as RecordOf<Row>;
}

/** `present` for an entity whose record is exactly its row. */
export const presentRecords = async <Row extends { tenantId: string }>(_tx: Executor, _tenantId: string, rows: Row[]): Promise<RecordOf<Row>[]> =>
  rows.map(recordOf);
