import { and, eq, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { relationships } from '../../db/schema/index.js';

export type RelationshipRow = typeof relationships.$inferSelect;

/** The id of the edge personId -> contactId, other than `exceptId`, if there is one. */
export async function findPair(tx: Tx, tenantId: string, personId: string, contactId: string, exceptId?: string): Promise<string | undefined> {
  const rows = await tx
    .select({ id: relationships.id })
    .from(relationships)
    .where(
      and(
        eq(relationships.tenantId, tenantId),
        eq(relationships.personId, personId),
        eq(relationships.contactId, contactId),
        exceptId ? ne(relationships.id, exceptId) : undefined,
      ),
    )
    .limit(1);
  return rows[0]?.id;
}
