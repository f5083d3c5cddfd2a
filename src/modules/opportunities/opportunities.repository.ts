import { and, eq, inArray, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor } from '../../db/client.js';
import { opportunities } from '../../db/schema/index.js';
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

/** How many opportunities name each of these ids in `column` (the kernel's count per parent). */
export const opportunitiesNamingEach = (db: Executor, tenantId: string, column: AnyPgColumn, ids: string[]) =>
  opportunitiesRepository.countByParents(db, tenantId, column, ids);

/** How many opportunities name `id` in `column`: a dependents count. */
export const opportunitiesNaming = async (db: Executor, tenantId: string, column: AnyPgColumn, id: string) =>
  (await opportunitiesNamingEach(db, tenantId, column, [id])).get(id) ?? 0;

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
