import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { relationships } from '../../db/schema/index.js';
import { translateDbError } from '../shared/db-errors.js';
import { createEntityRepository } from '../shared/entity.repository.js';
import { changeStamp } from '../shared/records.js';
import type { RelationshipListQuery } from './relationships.schemas.js';

export type RelationshipRow = typeof relationships.$inferSelect;

export const relationshipsRepository = createEntityRepository<RelationshipRow, RelationshipListQuery>(relationships, (q) => {
  const where: SQL[] = [];
  if (q.personId) where.push(eq(relationships.personId, q.personId));
  if (q.contactId) where.push(eq(relationships.contactId, q.contactId));
  if (q.source) where.push(eq(relationships.source, q.source));
  return where;
});

export interface Pair {
  personId: string;
  contactId: string;
}
export const pairKey = (pair: Pair) => `${pair.personId}>${pair.contactId}`;

/** The ids of the stored edges among `pairs`, by "person>contact": one query for a batch. */
export async function findPairs(db: Executor, tenantId: string, pairs: Pair[]): Promise<Map<string, string>> {
  if (pairs.length === 0) return new Map();
  const rows = await db
    .select({ id: relationships.id, personId: relationships.personId, contactId: relationships.contactId })
    .from(relationships)
    .where(
      and(
        eq(relationships.tenantId, tenantId),
        sql`(${relationships.personId}, ${relationships.contactId}) in (${sql.join(
          pairs.map((p) => sql`(${p.personId}::uuid, ${p.contactId}::uuid)`),
          sql`, `,
        )})`,
      ),
    );
  return new Map(rows.map((r) => [pairKey(r), r.id]));
}

/**
 * Makes sure each edge exists: a missing one is created with `values`; an existing one is left
 * exactly as it is. One statement for the batch. (An interview's referrals use it.)
 */
export async function ensureRelationships(db: Executor, tenantId: string, edges: (Pair & Record<string, unknown>)[], constraintPaths: Record<string, string>, noun: string): Promise<void> {
  if (edges.length === 0) return;
  await db
    .insert(relationships)
    .values(edges.map((edge) => ({ ...edge, tenantId })) as never)
    .onConflictDoNothing({ target: [relationships.tenantId, relationships.personId, relationships.contactId] })
    .catch((err: unknown) => translateDbError(err, constraintPaths, noun));
}

/** A person's deletion: their edges (either end) go; where they introduced, the introducer is cleared, as a change. */
export async function removePersonFromRelationships(db: Executor, tenantId: string, personId: string): Promise<void> {
  await db
    .delete(relationships)
    .where(and(eq(relationships.tenantId, tenantId), or(eq(relationships.personId, personId), eq(relationships.contactId, personId))));
  await db
    .update(relationships)
    .set({ introducedById: null, ...changeStamp(relationships) })
    .where(and(eq(relationships.tenantId, tenantId), eq(relationships.introducedById, personId)));
}
