import { requireScope, type RequestContext } from '../../context.js';
import type { Db, Executor } from '../../db/client.js';
import { careerStrategies, type StrategyGoal as StoredGoal } from '../../db/schema/index.js';
import { withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { isUuid, Uuid } from '../shared/common.schemas.js';
import { createEntityService, type ChildRecords, type Page, type TxOptions } from '../shared/entity-service.js';
import { decodeKey, encodeKey, pageOf } from '../shared/pagination.js';
import { iso } from '../shared/records.js';
import { parseInput } from '../shared/validation.js';
import {
  archiveActiveStrategies,
  careerStrategiesRepository,
  informingInterviewList,
  insertRevisions,
  listRevisions,
  presentStrategies,
  replaceStrategyLists,
  revisionsOfStrategies,
  strategyConstraintPaths,
  strategyExists,
  targetOrganizationList,
  type CareerStrategyRevisionRow,
} from './career-strategies.repository.js';
import { loadStrategyFacts, strategyReferences, strategyRules } from './career-strategies.rules.js';
import {
  CareerStrategyInput,
  CareerStrategyListQuery,
  CareerStrategyRevisionQuery,
  type CareerStrategyRevision,
  type StrategyGoal,
} from './career-strategies.schemas.js';

// The JSON column leaves an absent target date out rather than storing null.
const storedGoal = ({ targetDate, ...goal }: StrategyGoal): StoredGoal => (targetDate ? { ...goal, targetDate } : goal);

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
  const entity = createEntityService(db, {
    noun: 'career strategy',
    repository: careerStrategiesRepository,
    Input: CareerStrategyInput,
    Query: CareerStrategyListQuery,
    presentReads: true,
    present: presentStrategies,
    toValues: ({ targetOrganizationIds: _o, informedByInterviewIds: _i, goals, ...values }) => ({ ...values, goals: goals.map(storedGoal) }),
    references: strategyReferences,
    facts: loadStrategyFacts,
    rules: strategyRules,
    // Making strategies active archives the one that was active for each person.
    beforeWrite: async (tx, ctx, pending) => {
      const activating = pending.filter((p) => p.input.status === 'active');
      await archiveActiveStrategies(
        tx,
        ctx.tenantId,
        activating.map((p) => p.input.personId),
        activating.flatMap((p) => (p.current ? [p.current.id] : [])),
      );
    },
    afterWrite: async (tx, ctx, written) => {
      // Revisions hold earlier states only: a creation has none; a change keeps what it replaced.
      await insertRevisions(tx, ctx.tenantId, written.flatMap((w) => (w.current ? [w.current] : [])));
      await replaceStrategyLists(tx, ctx.tenantId, {
        targets: new Map(written.map((w) => [w.row.id, w.input.targetOrganizationIds])),
        informedBy: new Map(written.map((w) => [w.row.id, w.input.informedByInterviewIds])),
      });
    },
    // Nothing refers to a strategy; its revisions and child rows go with it (FK cascade).
    dependents: async () => ({}),
    cascade: async () => {},
    constraintPaths: strategyConstraintPaths,
    // The record is its row (and its child lists), but for goals, stored in another shape: GraphQL may build it as JSON in SQL.
    recordColumns: { except: ['goals'] },
    childLists: { targetOrganizationIds: targetOrganizationList, informedByInterviewIds: informingInterviewList },
    parents: { personId: careerStrategies.personId },
  });

  return {
    ...entity,

    /**
     * The revisions of many strategies (GraphQL's CareerStrategy.revisions), in one statement:
     * the first `first` of each after the cursor, with each one's cursor.
     */
    async revisionsOf(ctx: RequestContext, ids: readonly string[], first: number, after?: string | null): Promise<Map<string, ChildRecords<CareerStrategyRevision>>> {
      requireScope(ctx, 'read');
      const from = after ? decodeRevisionCursor(after) : 0;
      const valid = [...new Set(ids.filter(isUuid).map((id) => id.toLowerCase()))];
      const rows = await withTenantRead(db, ctx.tenantId, (tx) => revisionsOfStrategies(tx, ctx.tenantId, valid, from, first + 1), { oneStatement: true });
      return new Map(
        ids.map((id) => {
          const page = pageOf(rows.get(id.toLowerCase()) ?? [], first, encodeRevisionCursor);
          return [id, { records: page.rows.map(toRevision), cursors: page.rows.map(encodeRevisionCursor), hasNextPage: page.nextCursor !== null }];
        }),
      );
    },

    /** The strategy's earlier states, oldest first, keyset-paginated on the revision number. */
    async revisions(ctx: RequestContext, id: string, rawQuery: unknown, options: TxOptions = {}): Promise<Page<CareerStrategyRevision>> {
      requireScope(ctx, 'read');
      const query = parseInput(CareerStrategyRevisionQuery, rawQuery ?? {}, 'query');
      const after = query.cursor ? decodeRevisionCursor(query.cursor) : 0;
      const notFound = new AppError('not_found', `No career strategy ${id}.`);
      if (!Uuid.safeParse(id).success) throw notFound;
      const work = async (tx: Executor) => {
        if (!(await strategyExists(tx, ctx.tenantId, id))) throw notFound;
        const rows = await listRevisions(tx, ctx.tenantId, id, after, query.limit + 1);
        const page = pageOf(rows, query.limit, encodeRevisionCursor);
        return { data: page.rows.map(toRevision), nextCursor: page.nextCursor };
      };
      return options.tx ? work(options.tx) : withTenantRead(db, ctx.tenantId, work);
    },
  };
}
export type CareerStrategiesService = ReturnType<typeof createCareerStrategiesService>;
