import { and, arrayContains, count, eq, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { careerStrategyTargetOrganizations, interviews, opportunities, organizations, people } from '../../db/schema/index.js';
import { detachFromStrategies } from '../career-strategies/career-strategies.repository.js';
import { clearInterviewOrganization } from '../interviews/interviews.repository.js';
import { clearOpportunityOrganization, opportunitiesNaming } from '../opportunities/opportunities.repository.js';
import { clearEmployer } from '../people/people.repository.js';
import { createEntityRepository } from '../shared/entity.repository.js';
import type { OrganizationListQuery } from './organizations.schemas.js';

export type OrganizationRow = typeof organizations.$inferSelect;

export const organizationsRepository = createEntityRepository<OrganizationRow, OrganizationListQuery>(organizations, (q) => {
  const where: SQL[] = [];
  // A prefix match on lower(name): served by organizations_name_idx (text_pattern_ops).
  if (q.q) where.push(sql`lower(${organizations.name}) like ${`${q.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}`);
  if (q.tag) where.push(arrayContains(organizations.tags, [q.tag]));
  if (q.industry) where.push(eq(organizations.industry, q.industry));
  return where;
});

const countWhere = async (db: Executor, table: typeof people | typeof interviews, where: ReturnType<typeof and>) =>
  Number((await db.select({ n: count() }).from(table).where(where))[0]?.n ?? 0);

/** Who refers to an organization: people (employer), interviews, strategies (targets), opportunities. */
export async function organizationDependents(db: Executor, tenantId: string, id: string): Promise<Record<string, number>> {
  const [peopleCount, interviewCount, strategyCount, opportunityCount] = await Promise.all([
    countWhere(db, people, and(eq(people.tenantId, tenantId), eq(people.organizationId, id))),
    countWhere(db, interviews, and(eq(interviews.tenantId, tenantId), eq(interviews.organizationId, id))),
    db
      .select({ n: count() })
      .from(careerStrategyTargetOrganizations)
      .where(and(eq(careerStrategyTargetOrganizations.tenantId, tenantId), eq(careerStrategyTargetOrganizations.organizationId, id)))
      .then((r) => Number(r[0]?.n ?? 0)),
    opportunitiesNaming(db, tenantId, opportunities.organizationId, id),
  ]);
  return { people: peopleCount, interviews: interviewCount, careerStrategies: strategyCount, opportunities: opportunityCount };
}

/** Every reference to an organization is optional: cleared, as a change of the referring record, by its own module. */
export async function clearOrganizationReferences(tx: Tx, tenantId: string, id: string): Promise<void> {
  await clearEmployer(tx, tenantId, id);
  await clearInterviewOrganization(tx, tenantId, id);
  await clearOpportunityOrganization(tx, tenantId, id);
  // A strategy that loses a target changes: its earlier state is kept as a revision.
  await detachFromStrategies(tx, tenantId, { organizationIds: [id] });
}
