import { and, eq, gt, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { AppError } from '../../errors.js';

// Lists are ordered by (created_at, id): stable while records are added or changed.
// The cursor names the last row seen; its microsecond timestamp is looked up again so
// JavaScript's millisecond dates cannot skip or repeat a row.

export interface Cursor {
  id: string;
  createdAt: string;
}

export const encodeCursor = (row: { id: string; createdAt: Date }): string =>
  Buffer.from(JSON.stringify([row.createdAt.toISOString(), row.id])).toString('base64url');

export function decodeCursor(value: string): Cursor {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      const [createdAt, id] = parsed as [string, string];
      if (!Number.isNaN(Date.parse(createdAt)) && /^[0-9a-f-]{36}$/i.test(id)) return { createdAt, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError('validation_failed', 'The cursor is not one this API gave out.', {
    errors: [{ path: 'query.cursor', message: 'is not a valid cursor' }],
  });
}

interface KeysetColumns {
  tenantId: AnyPgColumn;
  id: AnyPgColumn;
  createdAt: AnyPgColumn;
}

/** Rows after the cursor, in (created_at, id) order. */
export function afterCursor(table: KeysetColumns & { _: { name: string } }, tenantId: string, cursor: Cursor): SQL {
  const exact = sql`coalesce((select c.created_at from ${table} c where c.tenant_id = ${tenantId} and c.id = ${cursor.id}), ${cursor.createdAt}::timestamptz)`;
  return or(gt(table.createdAt, exact), and(eq(table.createdAt, exact), gt(table.id, cursor.id))) as SQL;
}

/** Splits the one-extra row off a page and makes the next cursor from the last row kept. */
export function pageOf<R extends { id: string; createdAt: Date }>(rows: R[], limit: number): { rows: R[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeCursor(page[page.length - 1]!) };
}
