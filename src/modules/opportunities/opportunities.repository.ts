import { and, count, eq, inArray, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { interviews, opportunities } from '../../db/schema/index.js';
import { createEntityRepository } from '../shared/entity.repository.js';
import { changeStamp } from '../shared/records.js';
import type { OpportunityListQuery } from './opportunities.schemas.js';

export type OpportunityRow = typeof opportunities.$inferSelect;

export const opportunitiesRepository = createEntityRepository<OpportunityRow, OpportunityListQuery>(opportunities, (q) => {
  const where: SQL[] = [];
  if (q.seekerId) where.push(eq(opportunities.seekerId, q.seekerId));
  if (q.organizationId) where.push(eq(opportunities.organizationId, q.organizationId));
  if (q.status) where.push(eq(opportunities.status, q.status));
  if (q.source) where.push(eq(opportunities.source, q.source));
  if (q.advertised) where.push(eq(opportunities.advertised, q.advertised === 'true'));
  return where;
});

/** The requester of each of these interviews: an opportunity's source interview is the seeker's own. */
export async function interviewRequesters(db: Executor, tenantId: string, interviewIds: string[]): Promise<Map<string, string>> {
  if (interviewIds.length === 0) return new Map();
  const rows = await db
    .select({ id: interviews.id, requesterId: interviews.requesterId })
    .from(interviews)
    .where(and(eq(interviews.tenantId, tenantId), inArray(interviews.id, interviewIds)));
  return new Map(rows.map((r) => [r.id, r.requesterId]));
}

const countOf = (rows: { n: number }[]) => Number(rows[0]?.n ?? 0);

/** How many opportunities name `id` in `column` (a dependents count). */
export const opportunitiesNaming = (db: Executor, tenantId: string, column: keyof typeof named, id: string) =>
  db
    .select({ n: count() })
    .from(opportunities)
    .where(and(eq(opportunities.tenantId, tenantId), eq(named[column], id)))
    .then(countOf);

const named = {
  seekerId: opportunities.seekerId,
  referredById: opportunities.referredById,
  organizationId: opportunities.organizationId,
  sourceInterviewId: opportunities.sourceInterviewId,
};

/** How many opportunities cite each of these interviews as their source. */
export async function sourceCitationCounts(db: Executor, tenantId: string, interviewIds: string[]): Promise<Map<string, number>> {
  if (interviewIds.length === 0) return new Map();
  const rows = await db
    .select({ id: opportunities.sourceInterviewId, n: count() })
    .from(opportunities)
    .where(and(eq(opportunities.tenantId, tenantId), inArray(opportunities.sourceInterviewId, interviewIds)))
    .groupBy(opportunities.sourceInterviewId);
  return new Map(rows.map((r) => [r.id!, Number(r.n)]));
}

/** An optional reference cleared, as a change of each opportunity that held it. */
async function clearWhere(db: Executor, tenantId: string, set: Partial<Record<'organizationId' | 'referredById' | 'sourceInterviewId', null>>, where: SQL) {
  await db
    .update(opportunities)
    .set({ ...set, ...changeStamp(opportunities) })
    .where(and(eq(opportunities.tenantId, tenantId), where));
}

/** A person's deletion: the opportunities they pursue go; where they were the referrer, it is cleared. */
export async function removePersonFromOpportunities(db: Executor, tenantId: string, personId: string): Promise<void> {
  await db.delete(opportunities).where(and(eq(opportunities.tenantId, tenantId), eq(opportunities.seekerId, personId)));
  await clearWhere(db, tenantId, { referredById: null }, eq(opportunities.referredById, personId));
}

/** An organization's deletion: opportunities there forget it. */
export const clearOpportunityOrganization = (db: Executor, tenantId: string, organizationId: string) =>
  clearWhere(db, tenantId, { organizationId: null }, eq(opportunities.organizationId, organizationId));

/** Interviews' deletion: opportunities that came up in them forget where. */
export async function clearOpportunitySourceInterviews(db: Executor, tenantId: string, interviewIds: string[]): Promise<void> {
  if (interviewIds.length > 0) await clearWhere(db, tenantId, { sourceInterviewId: null }, inArray(opportunities.sourceInterviewId, interviewIds));
}
