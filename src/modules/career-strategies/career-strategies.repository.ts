import { and, asc, eq, getTableColumns, gt, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Executor, Tx } from '../../db/client.js';
import {
  careerStrategies,
  careerStrategyInterviews,
  careerStrategyRevisions,
  careerStrategyTargetOrganizations,
  type StrategyGoal as StoredGoal,
} from '../../db/schema/index.js';
import { loadChildLists, replaceChildLists, type ChildList } from '../shared/child-lists.js';
import { createEntityRepository } from '../shared/entity.repository.js';
import { changeStamp, recordOf } from '../shared/records.js';
import type { CareerStrategy, CareerStrategyListQuery } from './career-strategies.schemas.js';

export type CareerStrategyRow = typeof careerStrategies.$inferSelect;
export type CareerStrategyRevisionRow = typeof careerStrategyRevisions.$inferSelect;

/** Constraint names to input fields: what a concurrent request can still break. */
export const strategyConstraintPaths = {
  career_strategies_one_active_idx: 'status',
  career_strategies_person_fk: 'personId',
  cs_target_orgs_organization_fk: 'targetOrganizationIds',
  cs_interviews_interview_fk: 'informedByInterviewIds',
};

export const careerStrategiesRepository = createEntityRepository<CareerStrategyRow, CareerStrategyListQuery>(careerStrategies, (q) => {
  const where: SQL[] = [];
  if (q.personId) where.push(eq(careerStrategies.personId, q.personId));
  if (q.status) where.push(eq(careerStrategies.status, q.status));
  return where;
});

// The two ordered lists a strategy keeps in child tables.
export const targetOrganizationList: ChildList<string> = {
  table: careerStrategyTargetOrganizations,
  parent: careerStrategyTargetOrganizations.strategyId,
  toColumns: (id) => ({ organizationId: id }),
  fromRow: (row) => row.organizationId as string,
  constraintPaths: strategyConstraintPaths,
  noun: 'career strategy',
};
export const informingInterviewList: ChildList<string> = {
  table: careerStrategyInterviews,
  parent: careerStrategyInterviews.strategyId,
  toColumns: (id) => ({ interviewId: id }),
  fromRow: (row) => row.interviewId as string,
  constraintPaths: strategyConstraintPaths,
  noun: 'career strategy',
};

/** Rows as records; each child table is read once for all of them. */
export async function presentStrategies(db: Executor, tenantId: string, rows: CareerStrategyRow[], fields?: ReadonlySet<string>): Promise<CareerStrategy[]> {
  const ids = rows.map((r) => r.id);
  // The two child lists are read only when asked for (always, outside a GraphQL selection).
  const none = new Map<string, string[]>();
  const organizations = !fields || fields.has('targetOrganizationIds') ? await loadChildLists(db, tenantId, targetOrganizationList, ids) : none;
  const informedBy = !fields || fields.has('informedByInterviewIds') ? await loadChildLists(db, tenantId, informingInterviewList, ids) : none;
  return rows.map((row) => ({
    ...recordOf(row),
    // Absent when a GraphQL selection did not ask for goals (the row holds only what was asked).
    goals: (row.goals ?? []).map((g: StoredGoal) => ({ description: g.description, targetDate: g.targetDate ?? null, status: g.status })),
    targetOrganizationIds: organizations.get(row.id) ?? [],
    informedByInterviewIds: informedBy.get(row.id) ?? [],
  }));
}

export const replaceStrategyLists = async (db: Executor, tenantId: string, lists: { targets: Map<string, string[]>; informedBy: Map<string, string[]> }) => {
  await replaceChildLists(db, tenantId, targetOrganizationList, lists.targets);
  await replaceChildLists(db, tenantId, informingInterviewList, lists.informedBy);
};

/** Keeps records as they are now: each one's revision is its current version. */
export async function insertRevisions(db: Executor, tenantId: string, records: (Record<string, unknown> & { id: string; version: number })[]): Promise<void> {
  if (records.length === 0) return;
  await db.insert(careerStrategyRevisions).values(records.map((snapshot) => ({ tenantId, strategyId: snapshot.id, revision: snapshot.version, snapshot })));
}

/**
 * A change made to strategies behind their own writes (another record they cite is archived,
 * deleted or detached): each one's current state is kept as a revision, then its version moves
 * and `set` applies. Locks them first.
 */
async function reviseStrategies(tx: Tx, tenantId: string, where: SQL, set: { status?: 'archived' } = {}): Promise<string[]> {
  const t = careerStrategies;
  const rows = await tx.select().from(t).where(and(eq(t.tenantId, tenantId), where)).for('update');
  if (rows.length === 0) return [];
  await insertRevisions(tx, tenantId, await presentStrategies(tx, tenantId, rows));
  const ids = rows.map((r) => r.id);
  await tx.update(t).set({ ...set, ...changeStamp(t) }).where(and(eq(t.tenantId, tenantId), inArray(t.id, ids)));
  return ids;
}

/** The same for strategies named by id (a missing or another tenant's id is passed over). */
export const reviseStrategiesBeforeChange = async (tx: Tx, tenantId: string, strategyIds: string[]): Promise<void> => {
  if (strategyIds.length) await reviseStrategies(tx, tenantId, inArray(careerStrategies.id, [...new Set(strategyIds)]));
};

/**
 * At most one active strategy per person: the active strategies of these people, other than
 * `except`, are archived first (with a revision), so the partial unique index only ever fires
 * for a concurrent activation.
 */
export async function archiveActiveStrategies(tx: Tx, tenantId: string, personIds: string[], except: string[]): Promise<void> {
  if (personIds.length === 0) return;
  const t = careerStrategies;
  const others = except.length ? and(...except.map((id) => ne(t.id, id))) : undefined;
  await reviseStrategies(tx, tenantId, and(inArray(t.personId, personIds), eq(t.status, 'active'), others)!, { status: 'archived' });
}

/**
 * Takes interviews or organizations out of the strategies that cite them, as a change of each
 * strategy (revision, version): what deleting those records with cascade=true does to strategies.
 */
export async function detachFromStrategies(tx: Tx, tenantId: string, cited: { interviewIds?: string[]; organizationIds?: string[] }): Promise<void> {
  const links = [
    cited.interviewIds?.length ? { list: informingInterviewList, column: careerStrategyInterviews.interviewId, ids: cited.interviewIds } : null,
    cited.organizationIds?.length ? { list: targetOrganizationList, column: careerStrategyTargetOrganizations.organizationId, ids: cited.organizationIds } : null,
  ].filter((l) => l !== null);
  if (links.length === 0) return;
  const citing = or(
    ...links.map((l) =>
      inArray(
        careerStrategies.id,
        tx
          .select({ id: l.list.parent })
          .from(l.list.table)
          .where(and(eq(l.list.table.tenantId, tenantId), inArray(l.column, l.ids))),
      ),
    ),
  )!;
  await reviseStrategies(tx, tenantId, citing);
  for (const l of links) await tx.delete(l.list.table).where(and(eq(l.list.table.tenantId, tenantId), inArray(l.column, l.ids)));
}

/** A person's own strategies, deleted with them; revisions and child rows go too (FK cascade). */
export async function deleteStrategiesOf(tx: Tx, tenantId: string, personId: string): Promise<void> {
  await tx.delete(careerStrategies).where(and(eq(careerStrategies.tenantId, tenantId), eq(careerStrategies.personId, personId)));
}

/** How many strategies cite each of these interviews. */
export async function citationCounts(db: Executor, tenantId: string, interviewIds: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>(interviewIds.map((id) => [id, 0]));
  if (interviewIds.length === 0) return counts;
  const rows = await db
    .select({ interviewId: careerStrategyInterviews.interviewId })
    .from(careerStrategyInterviews)
    .where(and(eq(careerStrategyInterviews.tenantId, tenantId), inArray(careerStrategyInterviews.interviewId, interviewIds)));
  for (const row of rows) counts.set(row.interviewId, (counts.get(row.interviewId) ?? 0) + 1);
  return counts;
}

export async function strategyExists(db: Executor, tenantId: string, id: string): Promise<boolean> {
  const t = careerStrategies;
  return (await db.select({ id: t.id }).from(t).where(and(eq(t.tenantId, tenantId), eq(t.id, id))).limit(1)).length > 0;
}

/** Revisions after `afterRevision`, oldest first; `limit` rows at most. */
export async function listRevisions(db: Executor, tenantId: string, strategyId: string, afterRevision: number, limit: number): Promise<CareerStrategyRevisionRow[]> {
  const r = careerStrategyRevisions;
  return db
    .select()
    .from(r)
    .where(and(eq(r.tenantId, tenantId), eq(r.strategyId, strategyId), gt(r.revision, afterRevision)))
    .orderBy(asc(r.revision))
    .limit(limit);
}

/**
 * The revisions of many strategies after `afterRevision`, oldest first, `limit` of each at most,
 * in one statement (a strategy's revisions in GraphQL): a lateral join per strategy.
 */
export async function revisionsOfStrategies(
  db: Executor,
  tenantId: string,
  strategyIds: readonly string[],
  afterRevision: number,
  limit: number,
): Promise<Map<string, CareerStrategyRevisionRow[]>> {
  const byStrategy = new Map<string, CareerStrategyRevisionRow[]>(strategyIds.map((id) => [id, []]));
  if (strategyIds.length === 0) return byStrategy;
  const r = careerStrategyRevisions;
  const strategies = sql`(select unnest(${sql.param([...new Set(strategyIds)])}::uuid[]) as strategy_id) strategies`;
  const child = db
    .select()
    .from(r)
    .where(and(eq(r.tenantId, tenantId), sql`${r.strategyId} = strategies.strategy_id`, gt(r.revision, afterRevision)))
    .orderBy(asc(r.revision))
    .limit(limit)
    .as('child');
  const fields = Object.fromEntries(Object.keys(getTableColumns(r)).map((key) => [key, (child as unknown as Record<string, unknown>)[key]]));
  const rows = (await db
    .select(fields as never)
    .from(strategies)
    .innerJoinLateral(child, sql`true`)
    .orderBy(sql`strategies.strategy_id`, (child as unknown as { revision: AnyPgColumn }).revision)) as unknown as CareerStrategyRevisionRow[];
  for (const row of rows) byStrategy.get(row.strategyId)?.push(row);
  return byStrategy;
}
