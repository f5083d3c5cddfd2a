import { reviseStrategiesBeforeChange } from '../career-strategies/career-strategies.service.js';
import { and, count, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { changeStamp } from '../shared/records.js';
import {
  careerStrategies,
  careerStrategyInterviews,
  interviewReferrals,
  interviews,
  people,
  peopleSearchVector,
  relationships,
} from '../../db/schema/index.js';

export type PersonRow = typeof people.$inferSelect;

/**
 * `q` as a condition people_search_idx serves: the same vector expression, matched against a
 * constant tsquery. plainto_tsquery makes the words safe; the last one becomes a prefix (`:*`),
 * which a GIN tsvector index supports, so a partial word still finds its person.
 */
export const personSearch = (q: string): SQL =>
  sql`${peopleSearchVector(people)} @@ regexp_replace(plainto_tsquery('simple', ${q})::text, '''$', ''':*')::tsquery`;

const countOf = (rows: { n: number }[]) => Number(rows[0]?.n ?? 0);

/** The person's own interviews: as requester or as interviewee. */
const ownInterviews = (tenantId: string, id: string) =>
  and(eq(interviews.tenantId, tenantId), or(eq(interviews.requesterId, id), eq(interviews.intervieweeId, id)));

/** Interviews of others whose referrals name the person. */
const interviewsReferring = (tx: Tx, tenantId: string, id: string) =>
  tx
    .select({ id: interviewReferrals.interviewId })
    .from(interviewReferrals)
    .where(and(eq(interviewReferrals.tenantId, tenantId), eq(interviewReferrals.personId, id)));

/** Who refers to a person: relationships (either end or introducer), interviews, referrals elsewhere, strategies. */
export async function personDependents(tx: Tx, tenantId: string, id: string): Promise<Record<string, number>> {
  const [relationshipCount, interviewCount, referralCount, strategyCount] = await Promise.all([
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
  ]);
  return { relationships: relationshipCount, interviews: interviewCount, referrals: referralCount, careerStrategies: strategyCount };
}

/**
 * Deletes what requires the person (relationships at either end, their interviews, their
 * strategies) and clears optional references (introducer, referrals elsewhere) as changes.
 */
export async function removePersonReferences(tx: Tx, tenantId: string, id: string): Promise<void> {
  await tx
    .delete(relationships)
    .where(and(eq(relationships.tenantId, tenantId), or(eq(relationships.personId, id), eq(relationships.contactId, id))));
  await tx
    .update(relationships)
    .set({ introducedById: null, ...changeStamp(relationships) })
    .where(and(eq(relationships.tenantId, tenantId), eq(relationships.introducedById, id)));

  // Another interview that named the person as a referral loses that element: a change of it.
  await tx
    .update(interviews)
    .set(changeStamp(interviews))
    .where(
      and(
        eq(interviews.tenantId, tenantId),
        inArray(interviews.id, interviewsReferring(tx, tenantId, id)),
        ne(interviews.requesterId, id),
        ne(interviews.intervieweeId, id),
      ),
    );
  await tx.delete(interviewReferrals).where(and(eq(interviewReferrals.tenantId, tenantId), eq(interviewReferrals.personId, id)));

  // The person's strategies: revisions and join rows go with them (FK cascade).
  await tx.delete(careerStrategies).where(and(eq(careerStrategies.tenantId, tenantId), eq(careerStrategies.personId, id)));

  // Other strategies informed by the person's interviews lose those links (NO ACTION FK): a change of them.
  const own = tx.select({ id: interviews.id }).from(interviews).where(ownInterviews(tenantId, id));
  const links = and(eq(careerStrategyInterviews.tenantId, tenantId), inArray(careerStrategyInterviews.interviewId, own));
  const citing = await tx.select({ id: careerStrategyInterviews.strategyId }).from(careerStrategyInterviews).where(links);
  await reviseStrategiesBeforeChange(tx, tenantId, citing.map((r) => r.id));
  await tx.delete(careerStrategyInterviews).where(links);

  // Their referrals go with them (FK cascade).
  await tx.delete(interviews).where(ownInterviews(tenantId, id));
}
