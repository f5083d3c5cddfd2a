import { and, asc, eq, gt, inArray, ne } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { changeStamp } from '../shared/records.js';
import {
  careerStrategies,
  careerStrategyInterviews,
  careerStrategyRevisions,
  careerStrategyTargetOrganizations,
  interviews,
} from '../../db/schema/index.js';
import { translateDbError } from '../shared/db-errors.js';

export type CareerStrategyRow = typeof careerStrategies.$inferSelect;
export type CareerStrategyRevisionRow = typeof careerStrategyRevisions.$inferSelect;

/** Constraint names to input fields: what a concurrent request can still break. */
export const strategyConstraintPaths = {
  career_strategies_one_active_idx: 'status',
  career_strategies_person_fk: 'personId',
  cs_target_orgs_organization_fk: 'targetOrganizationIds',
  cs_interviews_interview_fk: 'informedByInterviewIds',
};

// The two ordered lists a strategy keeps in join tables, one table each.
const joins = {
  targetOrganizationIds: {
    table: careerStrategyTargetOrganizations,
    column: careerStrategyTargetOrganizations.organizationId,
    row: (id: string) => ({ organizationId: id }),
  },
  informedByInterviewIds: {
    table: careerStrategyInterviews,
    column: careerStrategyInterviews.interviewId,
    row: (id: string) => ({ interviewId: id }),
  },
} as const;
type JoinList = keyof typeof joins;

/** One list for every strategy asked, in one query: strategy id -> ids in position order. */
export async function loadJoinedIds(tx: Tx, tenantId: string, list: JoinList, strategyIds: string[]): Promise<Map<string, string[]>> {
  const { table, column } = joins[list];
  const byStrategy = new Map<string, string[]>(strategyIds.map((id) => [id, []]));
  if (strategyIds.length === 0) return byStrategy;
  const rows = await tx
    .select({ strategyId: table.strategyId, id: column })
    .from(table)
    .where(and(eq(table.tenantId, tenantId), inArray(table.strategyId, strategyIds)))
    .orderBy(asc(table.strategyId), asc(table.position));
  for (const row of rows) byStrategy.get(row.strategyId)?.push(row.id);
  return byStrategy;
}

/** Replaces a strategy's list with `ids`, position = index. */
export async function replaceJoinedIds(tx: Tx, tenantId: string, list: JoinList, strategyId: string, ids: string[]): Promise<void> {
  const { table, row } = joins[list];
  await tx.delete(table).where(and(eq(table.tenantId, tenantId), eq(table.strategyId, strategyId)));
  if (ids.length === 0) return;
  await tx
    .insert(table)
    .values(ids.map((id, position) => ({ tenantId, strategyId, position, ...row(id) })) as never)
    .catch((err: unknown) => translateDbError(err, strategyConstraintPaths, 'career strategy'));
}

/** Interview id -> requester id, for the ids of this tenant that exist. */
export async function interviewRequesters(tx: Tx, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx
    .select({ id: interviews.id, requesterId: interviews.requesterId })
    .from(interviews)
    .where(and(eq(interviews.tenantId, tenantId), inArray(interviews.id, ids)));
  return new Map(rows.map((r) => [r.id, r.requesterId]));
}

/** The person's active strategy other than `exceptId`, locked until the transaction ends. */
export async function lockActiveStrategy(tx: Tx, tenantId: string, personId: string, exceptId: string | null): Promise<CareerStrategyRow | undefined> {
  const t = careerStrategies;
  const conditions = [eq(t.tenantId, tenantId), eq(t.personId, personId), eq(t.status, 'active')];
  if (exceptId) conditions.push(ne(t.id, exceptId));
  return (await tx.select().from(t).where(and(...conditions)).limit(1).for('update'))[0];
}

/** Keeps records as they are now: each one's revision is its current version. */
export async function insertRevisions(tx: Tx, tenantId: string, records: (Record<string, unknown> & { id: string; version: number })[]): Promise<void> {
  if (records.length === 0) return;
  await tx
    .insert(careerStrategyRevisions)
    .values(records.map((snapshot) => ({ tenantId, strategyId: snapshot.id, revision: snapshot.version, snapshot })));
}

/** The strategies asked for, locked until the transaction ends. */
export async function lockStrategies(tx: Tx, tenantId: string, ids: string[]): Promise<CareerStrategyRow[]> {
  const t = careerStrategies;
  return tx
    .select()
    .from(t)
    .where(and(eq(t.tenantId, tenantId), inArray(t.id, ids)))
    .for('update');
}

/** A change made behind the service: new versions, updated_at now, and `set` if given. */
export async function bumpStrategies(tx: Tx, tenantId: string, ids: string[], set: { status?: 'archived' } = {}): Promise<void> {
  const t = careerStrategies;
  await tx
    .update(t)
    .set({ ...set, ...changeStamp(t) })
    .where(and(eq(t.tenantId, tenantId), inArray(t.id, ids)));
}

export async function strategyExists(tx: Tx, tenantId: string, id: string): Promise<boolean> {
  const t = careerStrategies;
  return (await tx.select({ id: t.id }).from(t).where(and(eq(t.tenantId, tenantId), eq(t.id, id))).limit(1)).length > 0;
}

/** Revisions after `afterRevision`, oldest first; `limit` rows at most. */
export async function listRevisions(tx: Tx, tenantId: string, strategyId: string, afterRevision: number, limit: number): Promise<CareerStrategyRevisionRow[]> {
  const r = careerStrategyRevisions;
  return tx
    .select()
    .from(r)
    .where(and(eq(r.tenantId, tenantId), eq(r.strategyId, strategyId), gt(r.revision, afterRevision)))
    .orderBy(asc(r.revision))
    .limit(limit);
}
