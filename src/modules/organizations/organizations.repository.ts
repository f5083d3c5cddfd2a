import { reviseStrategiesBeforeChange } from '../career-strategies/career-strategies.service.js';
import { and, count, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { changeStamp } from '../shared/records.js';
import { careerStrategyTargetOrganizations, interviews, type organizations, people } from '../../db/schema/index.js';

export type OrganizationRow = typeof organizations.$inferSelect;

const countWhere = async (tx: Tx, table: typeof people | typeof interviews, where: ReturnType<typeof and>) =>
  Number((await tx.select({ n: count() }).from(table).where(where))[0]?.n ?? 0);

/** Who refers to an organization: people (employer), interviews, strategies (targets). */
export async function organizationDependents(tx: Tx, tenantId: string, id: string): Promise<Record<string, number>> {
  const [peopleCount, interviewCount, strategyCount] = await Promise.all([
    countWhere(tx, people, and(eq(people.tenantId, tenantId), eq(people.organizationId, id))),
    countWhere(tx, interviews, and(eq(interviews.tenantId, tenantId), eq(interviews.organizationId, id))),
    tx
      .select({ n: count() })
      .from(careerStrategyTargetOrganizations)
      .where(and(eq(careerStrategyTargetOrganizations.tenantId, tenantId), eq(careerStrategyTargetOrganizations.organizationId, id)))
      .then((r) => Number(r[0]?.n ?? 0)),
  ]);
  return { people: peopleCount, interviews: interviewCount, careerStrategies: strategyCount };
}

/** Every reference to an organization is optional: cleared, as a change of the referring record. */
export async function clearOrganizationReferences(tx: Tx, tenantId: string, id: string): Promise<void> {
  await tx.update(people).set({ organizationId: null, ...changeStamp(people) }).where(and(eq(people.tenantId, tenantId), eq(people.organizationId, id)));
  await tx
    .update(interviews)
    .set({ organizationId: null, ...changeStamp(interviews) })
    .where(and(eq(interviews.tenantId, tenantId), eq(interviews.organizationId, id)));
  const targets = and(eq(careerStrategyTargetOrganizations.tenantId, tenantId), eq(careerStrategyTargetOrganizations.organizationId, id));
  const targeting = await tx.select({ id: careerStrategyTargetOrganizations.strategyId }).from(careerStrategyTargetOrganizations).where(targets);
  // A strategy that loses a target changes: its earlier state is kept as a revision.
  await reviseStrategiesBeforeChange(tx, tenantId, targeting.map((r) => r.id));
  await tx.delete(careerStrategyTargetOrganizations).where(targets);
}
