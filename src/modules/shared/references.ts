import { and, eq, inArray } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import type { Problem } from './rules.js';

type Referenced = PgTable & { tenantId: AnyPgColumn; id: AnyPgColumn };

export interface Reference {
  /** The input field, e.g. `organizationId` or `referrals.2.personId`. */
  path: string;
  table: Referenced;
  id: string | null | undefined;
  /** How the record is named in the message: "organization", "person". */
  noun: string;
}

/** The referenced ids that exist in the tenant, by table. */
export type Existing = Map<Referenced, Set<string>>;

/**
 * Which of the ids a batch refers to exist: one query per table for the whole batch. A record
 * of another tenant is invisible here (the filter, and row-level security), so it reads as missing.
 */
export async function loadExisting(tx: Executor, tenantId: string, references: Reference[]): Promise<Existing> {
  const wanted = new Map<Referenced, Set<string>>();
  for (const ref of references) if (typeof ref.id === 'string') wanted.set(ref.table, (wanted.get(ref.table) ?? new Set()).add(ref.id));
  const existing: Existing = new Map();
  for (const [table, ids] of wanted) {
    const rows = (await tx
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), inArray(table.id, [...ids])))) as { id: string }[];
    existing.set(table, new Set(rows.map((r) => r.id)));
  }
  return existing;
}

/** Pure: the references that name no record of the tenant, in the order given. */
export const missingIn = (existing: Existing, references: Reference[]): Problem[] =>
  references
    .filter((r): r is Reference & { id: string } => typeof r.id === 'string' && !existing.get(r.table)?.has(r.id))
    .map((r) => ({ path: r.path, message: `no ${r.noun} with this id`, detail: 'A referenced record does not exist.' }));
