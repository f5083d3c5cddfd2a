import type { IResolvers, MercuriusContext } from 'mercurius';
import { strategyGoalStatuses, strategyStatuses } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { connectionOf, pageArgs, type ConnectionArgs } from '../../graphql/connections.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, childrenLoader, recordLoader, recordsLoader, totalCountLoader } from '../../graphql/loaders.js';
import { mergeResolvers } from '../../graphql/merge.js';
import { asConnection, visible } from '../../graphql/mutations.js';
import type { InterviewsService } from '../interviews/interviews.service.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { PeopleService } from '../people/people.service.js';
import type { Person } from '../people/people.schemas.js';
import type { ChildRecords } from '../shared/entity-definition.js';
import type { CareerStrategy, CareerStrategyRevision, StrategyGoal } from './career-strategies.schemas.js';
import type { CareerStrategiesService } from './career-strategies.service.js';

export const StrategyStatusEnum = graphqlEnum(strategyStatuses);
export const GoalStatusEnum = graphqlEnum(strategyGoalStatuses);

/** GraphQL input (and a list filter) as REST's: the status and goal statuses as values. */
const toRest = enumInputs({ status: StrategyStatusEnum, 'goals.status': GoalStatusEnum });

export function careerStrategiesResolvers(strategies: CareerStrategiesService): IResolvers {
  return mergeResolvers([
    entityResolvers(strategies, { one: 'careerStrategy', many: 'careerStrategies', type: 'CareerStrategy' }, toRest),
    {
      Mutation: {
        // The same update as updateCareerStrategy and REST's PATCH: the archiving is the service's.
        activateCareerStrategy: async (_root: unknown, args: { id: string; expectedVersion?: number | null }, { requestContext: ctx }: MercuriusContext) => ({
          careerStrategy: visible(ctx, await strategies.update(ctx, args.id, { status: 'active' }, args.expectedVersion ?? undefined)),
        }),
      },
      CareerStrategy: {
        status: (s: CareerStrategy) => StrategyStatusEnum.out(s.status),
      },
      StrategyGoal: {
        status: (g: StrategyGoal) => GoalStatusEnum.out(g.status),
      },
    } as IResolvers,
  ]);
}

/** Relations, batched per request (see src/graphql/loaders.ts). */
export function careerStrategiesLoaders(
  strategies: CareerStrategiesService,
  people: PeopleService,
  organizations: OrganizationsService,
  interviews: InterviewsService,
): Loaders {
  return {
    CareerStrategy: {
      person: recordLoader(people, (s: CareerStrategy) => s.personId),
      targetOrganizations: recordsLoader(organizations, (s: CareerStrategy) => s.targetOrganizationIds),
      informedBy: recordsLoader(interviews, (s: CareerStrategy) => s.informedByInterviewIds),
      // Every strategy's revisions in one statement per distinct page asked.
      revisions: async (queries: { obj: CareerStrategy; params: ConnectionArgs }[], { requestContext }: MercuriusContext) => {
        const pages = new Map<string, Map<string, ChildRecords<CareerStrategyRevision>> | AppError>();
        const keyOf = (args: ConnectionArgs) => JSON.stringify([args.first ?? null, args.after ?? null]);
        for (const { params } of queries) {
          const key = keyOf(params);
          if (pages.has(key)) continue;
          const ids = queries.filter((q) => keyOf(q.params) === key).map((q) => q.obj.id);
          try {
            const { limit, cursor } = pageArgs(params);
            pages.set(key, await asConnection(() => strategies.revisionsOf(requestContext, ids, limit, cursor)));
          } catch (err) {
            // A bad argument fails the fields that gave it, not their siblings with other arguments.
            if (!(err instanceof AppError)) throw err;
            pages.set(key, err);
          }
        }
        return queries.map(({ obj, params }) => {
          const found = pages.get(keyOf(params))!;
          if (found instanceof AppError) return found;
          const page = found.get(obj.id)!;
          return connectionOf(page.records, { hasNextPage: page.hasNextPage, after: params.after, cursors: page.cursors }, null);
        });
      },
    },
    Person: {
      careerStrategies: childrenLoader(strategies, () => ({ parent: 'personId' }), { targetOrganizations: 'targetOrganizationIds', informedBy: 'informedByInterviewIds' }),
      // At most one strategy of a person is active: the first active one of each, in one read.
      activeStrategy: async (queries: { obj: Person }[], { requestContext }: MercuriusContext) => {
        const active = await strategies.listByParents(
          requestContext,
          'personId',
          queries.map((q) => q.obj.id),
          1,
          { filter: { status: 'active' } },
        );
        return queries.map((q) => active.get(q.obj.id)?.records[0] ?? null);
      },
    },
    CareerStrategyConnection: { totalCount: totalCountLoader(strategies) },
  };
}
