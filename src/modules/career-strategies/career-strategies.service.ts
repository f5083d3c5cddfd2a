import { eq, type SQL } from 'drizzle-orm';
import { requireScope, type RequestContext } from '../../context.js';
import type { Db, Tx } from '../../db/client.js';
import { careerStrategies, type StrategyGoal as StoredGoal } from '../../db/schema/index.js';
import { withTenant } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { Uuid } from '../shared/common.schemas.js';
import { iso, recordOf } from '../shared/records.js';
import { createEntityService, type EntityService, type Page } from '../shared/entity-service.js';
import { parseInput } from '../shared/validation.js';
import { decodeKey, encodeKey, pageOf } from '../shared/pagination.js';
import {
  bumpStrategies,
  insertRevisions,
  listRevisions,
  loadJoinedIds,
  lockStrategies,
  replaceJoinedIds,
  strategyConstraintPaths,
  strategyExists,
  type CareerStrategyRevisionRow,
  type CareerStrategyRow,
} from './career-strategies.repository.js';
import { archiveActiveStrategy, checkStrategyReferences } from './career-strategies.rules.js';
import {
  CareerStrategyInput,
  CareerStrategyListQuery,
  CareerStrategyRevisionQuery,
  type CareerStrategy,
  type CareerStrategyRevision,
  type StrategyGoal,
} from './career-strategies.schemas.js';

const toCareerStrategy = (row: CareerStrategyRow, targetOrganizationIds: string[], informedByInterviewIds: string[]): CareerStrategy => ({
  ...recordOf(row),
  goals: row.goals.map((g) => ({ description: g.description, targetDate: g.targetDate ?? null, status: g.status })),
  targetOrganizationIds,
  informedByInterviewIds,
});

// The JSON column leaves an absent target date out rather than storing null.
const storedGoal = ({ targetDate, ...goal }: StrategyGoal): StoredGoal => (targetDate ? { ...goal, targetDate } : goal);

/** Rows as records; each join table is read once for the whole page. */
async function present(tx: Tx, tenantId: string, rows: CareerStrategyRow[]): Promise<CareerStrategy[]> {
  const ids = rows.map((r) => r.id);
  const organizations = await loadJoinedIds(tx, tenantId, 'targetOrganizationIds', ids);
  const interviews = await loadJoinedIds(tx, tenantId, 'informedByInterviewIds', ids);
  return rows.map((row) => toCareerStrategy(row, organizations.get(row.id) ?? [], interviews.get(row.id) ?? []));
}

/**
 * For changes other modules make to strategies behind this service (a deleted organization or
 * interview leaving their lists): keeps each one's current state as a revision and bumps its
 * version, so every change still has its history. Call it before changing the rows.
 */
export async function reviseStrategiesBeforeChange(tx: Tx, tenantId: string, strategyIds: string[]): Promise<void> {
  const rows = strategyIds.length ? await lockStrategies(tx, tenantId, [...new Set(strategyIds)]) : [];
  if (rows.length === 0) return;
  await insertRevisions(tx, tenantId, await present(tx, tenantId, rows));
  await bumpStrategies(tx, tenantId, rows.map((r) => r.id));
}

// A revisions cursor names the last revision seen.
const encodeRevisionCursor = (row: { revision: number }) => encodeKey([row.revision]);
const decodeRevisionCursor = (value: string) =>
  decodeKey(value, (parsed) =>
    // A revision number is a PostgreSQL integer: larger would fail as SQL, not as a cursor.
    Array.isArray(parsed) && parsed.length === 1 && Number.isInteger(parsed[0]) && (parsed[0] as number) >= 0 && (parsed[0] as number) <= 2 ** 31 - 1
      ? (parsed[0] as number)
      : undefined,
  );

const toRevision = (row: CareerStrategyRevisionRow): CareerStrategyRevision => ({
  revision: row.revision,
  createdAt: iso(row.createdAt)!,
  snapshot: row.snapshot,
});

export function createCareerStrategiesService(db: Db) {
  const entity: EntityService<CareerStrategy> = createEntityService(db, {
    noun: 'career strategy',
    table: careerStrategies,
    Input: CareerStrategyInput,
    Query: CareerStrategyListQuery,
    present,
    toValues: ({ targetOrganizationIds: _o, informedByInterviewIds: _i, goals, ...values }) => ({ ...values, goals: goals.map(storedGoal) }),
    filters: (q) => {
      const where: SQL[] = [];
      if (q.personId) where.push(eq(careerStrategies.personId, q.personId));
      if (q.status) where.push(eq(careerStrategies.status, q.status));
      return where;
    },
    check: async (tx, ctx, input, current) => {
      await checkStrategyReferences(tx, ctx.tenantId, input);
      if (input.status === 'active') {
        await archiveActiveStrategy(tx, ctx.tenantId, input.personId, current?.id ?? null, (rows) => present(tx, ctx.tenantId, rows));
      }
    },
    afterWrite: async (tx, ctx, row, input, current) => {
      // Revisions hold earlier states only: a creation has none; a change keeps what it replaced.
      if (current) await insertRevisions(tx, ctx.tenantId, [current]);
      await replaceJoinedIds(tx, ctx.tenantId, 'targetOrganizationIds', row.id, input.targetOrganizationIds);
      await replaceJoinedIds(tx, ctx.tenantId, 'informedByInterviewIds', row.id, input.informedByInterviewIds);
    },
    // Nothing refers to a strategy; its revisions and join rows go with it (FK cascade).
    dependents: async () => ({}),
    cascade: async () => {},
    constraintPaths: strategyConstraintPaths,
  });

  return {
    ...entity,

    /** The strategy's earlier states, oldest first, keyset-paginated on the revision number. */
    async revisions(ctx: RequestContext, id: string, rawQuery: unknown): Promise<Page<CareerStrategyRevision>> {
      requireScope(ctx, 'read');
      const query = parseInput(CareerStrategyRevisionQuery, rawQuery ?? {}, 'query');
      const after = query.cursor ? decodeRevisionCursor(query.cursor) : 0;
      const notFound = new AppError('not_found', `No career strategy ${id}.`);
      if (!Uuid.safeParse(id).success) throw notFound;
      return withTenant(db, ctx.tenantId, async (tx) => {
        if (!(await strategyExists(tx, ctx.tenantId, id))) throw notFound;
        const rows = await listRevisions(tx, ctx.tenantId, id, after, query.limit + 1);
        const page = pageOf(rows, query.limit, encodeRevisionCursor);
        return { data: page.rows.map(toRevision), nextCursor: page.nextCursor };
      });
    },
  };
}
