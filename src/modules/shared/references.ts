import { and, eq, inArray } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../../db/client.js';
import type { FieldError } from '../../errors.js';
import { invalid } from './validation.js';

type Referenced = PgTable & { tenantId: AnyPgColumn; id: AnyPgColumn };

export interface Reference {
  /** The input field, e.g. `organizationId` or `referrals.2.personId`. */
  path: string;
  table: Referenced;
  id: string | null | undefined;
  /** How the record is named in the message: "organization", "person". */
  noun: string;
}

/**
 * Every reference must name a record of the caller's tenant. One query per table; a record
 * of another tenant is invisible here (RLS and the filter), so it reads as missing.
 */
export async function missingReferences(tx: Tx, tenantId: string, references: Reference[]): Promise<FieldError[]> {
  const wanted = references.filter((r): r is Reference & { id: string } => typeof r.id === 'string');
  const byTable = new Map<Referenced, Set<string>>();
  for (const ref of wanted) byTable.set(ref.table, (byTable.get(ref.table) ?? new Set()).add(ref.id));
  const found = new Set<string>();
  for (const [table, ids] of byTable) {
    const rows = await tx
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.tenantId, tenantId), inArray(table.id, [...ids])));
    for (const row of rows as { id: string }[]) found.add(row.id);
  }
  return wanted.filter((r) => !found.has(r.id)).map((r) => ({ path: r.path, message: `no ${r.noun} with this id` }));
}

/** The same check as a rule: a 400 listing every missing reference. */
export async function assertReferencesExist(tx: Tx, tenantId: string, references: Reference[]): Promise<void> {
  const errors = await missingReferences(tx, tenantId, references);
  if (errors.length) throw invalid(errors, 'A referenced record does not exist.');
}
