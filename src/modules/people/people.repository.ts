import { and, arrayContains, count, eq, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { careerStrategies, interviewReferrals, interviews, opportunities, people, peopleSearchVector, relationships } from '../../db/schema/index.js';
import { deleteStrategiesOf } from '../career-strategies/career-strategies.repository.js';
import { ownInterviews, removePersonFromInterviews } from '../interviews/interviews.repository.js';
import { opportunitiesNaming, removePersonFromOpportunities } from '../opportunities/opportunities.repository.js';
import { removePersonFromRelationships } from '../relationships/relationships.repository.js';
import { createEntityRepository } from '../shared/entity.repository.js';
import { changeStamp } from '../shared/records.js';
import type { PersonListQuery } from './people.schemas.js';

export type PersonRow = typeof people.$inferSelect;

/**
 * `q` as a condition people_search_idx serves: the same vector expression, matched against a
 * constant tsquery. plainto_tsquery makes the words safe; the last one becomes a prefix (`:*`),
 * which a GIN tsvector index supports, so a partial word still finds its person.
 */
export const personSearch = (q: string): SQL =>
  sql`${peopleSearchVector(people)} @@ regexp_replace(plainto_tsquery('simple', ${q})::text, '''$', ''':*')::tsquery`;

export const peopleRepository = createEntityRepository<PersonRow, PersonListQuery>(people, (q) => {
  const where: SQL[] = [];
  if (q.q) where.push(personSearch(q.q));
  // Array containment: served by the GIN indexes people_tags_idx and people_roles_idx.
  if (q.tag) where.push(arrayContains(people.tags, [q.tag]));
  if (q.role) where.push(arrayContains(people.roles, [q.role]));
  if (q.organizationId) where.push(eq(people.organizationId, q.organizationId));
  return where;
});

const countOf = (rows: { n: number }[]) => Number(rows[0]?.n ?? 0);

/** Who refers to a person: relationships (either end or introducer), interviews, referrals elsewhere, strategies, opportunities (pursued or passed on). */
export async function personDependents(tx: Executor, tenantId: string, id: string): Promise<Record<string, number>> {
  const [relationshipCount, interviewCount, referralCount, strategyCount, opportunityCount, referredCount] = await Promise.all([
    tx
      .select({ n: count() })
      .from(relationships)
      .where(
        and(
          eq(relationships.tenantId, tenantId),
          or(eq(relationships.personId, id), eq(relationships.contactId, id), eq(relationships.introducedById, id)),
        ),
      )
      .then(countOf),
    tx.select({ n: count() }).from(interviews).where(ownInterviews(tenantId, id)).then(countOf),
    // Referrals inside the person's own interviews go with those interviews: not counted twice.
    tx
      .select({ n: count() })
      .from(interviewReferrals)
      .innerJoin(interviews, and(eq(interviews.tenantId, interviewReferrals.tenantId), eq(interviews.id, interviewReferrals.interviewId)))
      .where(
        and(
          eq(interviewReferrals.tenantId, tenantId),
          eq(interviewReferrals.personId, id),
          ne(interviews.requesterId, id),
          ne(interviews.intervieweeId, id),
        ),
      )
      .then(countOf),
    tx
      .select({ n: count() })
      .from(careerStrategies)
      .where(and(eq(careerStrategies.tenantId, tenantId), eq(careerStrategies.personId, id)))
      .then(countOf),
    opportunitiesNaming(tx, tenantId, opportunities.seekerId, id),
    opportunitiesNaming(tx, tenantId, opportunities.referredById, id),
  ]);
  return {
    relationships: relationshipCount,
    interviews: interviewCount,
    referrals: referralCount,
    careerStrategies: strategyCount,
    opportunities: opportunityCount,
    opportunitiesReferred: referredCount,
  };
}

/**
 * Deletes what requires the person (relationships at either end, their strategies, opportunities
 * and interviews) and clears optional references (introducer, referrer, referrals elsewhere) as changes:
 * each through the module that owns the table.
 */
export async function removePersonReferences(tx: Tx, tenantId: string, id: string): Promise<void> {
  await removePersonFromRelationships(tx, tenantId, id);
  await deleteStrategiesOf(tx, tenantId, id);
  await removePersonFromOpportunities(tx, tenantId, id);
  await removePersonFromInterviews(tx, tenantId, id);
}

/** An organization's deletion: people employed there lose their employer, as a change of each. */
export async function clearEmployer(db: Executor, tenantId: string, organizationId: string): Promise<void> {
  await db
    .update(people)
    .set({ organizationId: null, ...changeStamp(people) })
    .where(and(eq(people.tenantId, tenantId), eq(people.organizationId, organizationId)));
}
