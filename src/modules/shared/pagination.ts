import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../../errors.js';
import { isUuid, isWithinYears } from './common.schemas.js';

// Lists are ordered by (created_at, id): stable while records are added or changed.
// The cursor names the last row seen; its microsecond timestamp is looked up again so
// JavaScript's millisecond dates cannot skip or repeat a row.

export interface Cursor {
  id: string;
  createdAt: string;
}

/** A cursor is the sort key of the last row seen, as base64url JSON: opaque to callers. */
export const encodeKey = (key: readonly (string | number)[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The sort key in a cursor, when `read` accepts its shape; anything else is a 400 on `query.cursor`. */
export function decodeKey<K>(value: string, read: (parsed: unknown) => K | undefined): K {
  let key: K | undefined;
  try {
    key = read(JSON.parse(Buffer.from(value, 'base64url').toString('utf8')));
  } catch {
    key = undefined;
  }
  if (key !== undefined) return key;
  throw new AppError('validation_failed', 'The cursor is not one this API gave out.', {
    errors: [{ path: 'query.cursor', message: 'is not a valid cursor' }],
  });
}

export const encodeCursor = (row: { id: string; createdAt: Date }): string => encodeKey([row.createdAt.toISOString(), row.id]);

// What encodeCursor writes, and nothing else: a forged cursor must not reach SQL as a cast.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export const decodeCursor = (value: string): Cursor =>
  decodeKey(value, (parsed) => {
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [createdAt, id] = parsed as unknown[];
    if (typeof createdAt !== 'string' || typeof id !== 'string') return undefined;
    const date = new Date(createdAt);
    const valid = ISO_INSTANT.test(createdAt) && isWithinYears(date) && date.toISOString() === createdAt && isUuid(id);
    return valid ? { createdAt, id } : undefined;
  });

interface KeysetColumns {
  tenantId: AnyPgColumn;
  id: AnyPgColumn;
  createdAt: AnyPgColumn;
}

/**
 * Rows after the cursor, in (created_at, id) order (`desc`: newest first), as a row comparison:
 * with the tenant's equality it is one range of the (tenant_id, created_at, id) index, so page
 * 300 starts where page 299 ended instead of reading (and filtering out) every row before it.
 */
export function afterCursor(table: KeysetColumns & { _: { name: string } }, tenantId: string, cursor: Cursor, order: 'asc' | 'desc' = 'asc'): SQL {
  const exact = sql`coalesce((select c.created_at from ${table} c where c.tenant_id = ${tenantId} and c.id = ${cursor.id}), ${cursor.createdAt}::timestamptz)`;
  return sql`(${table.createdAt}, ${table.id}) ${sql.raw(order === 'asc' ? '>' : '<')} (${exact}, ${cursor.id}::uuid)`;
}

/** Splits the one-extra row off a page and makes the next cursor from the last row kept. */
export function pageOf<R>(rows: R[], limit: number, cursorOf: (row: R) => string): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: cursorOf(page[page.length - 1]!) };
}
