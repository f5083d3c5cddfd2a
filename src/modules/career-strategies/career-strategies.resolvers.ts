import type { IResolvers, MercuriusContext } from 'mercurius';
import { strategyGoalStatuses, strategyStatuses } from '../../db/schema/index.js';
import type { ConnectionArgs } from '../../graphql/connections.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, childrenLoader, pagesLoader, recordLoader, recordsLoader, totalCountLoader } from '../../graphql/loaders.js';
import { mergeResolvers } from '../../graphql/merge.js';
import { intentMutation } from '../../graphql/mutations.js';
import type { InterviewsService } from '../interviews/interviews.service.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { PeopleService } from '../people/people.service.js';
import type { Person } from '../people/people.schemas.js';
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
        activateCareerStrategy: intentMutation(strategies, 'careerStrategy', () => ({ status: 'active' })),
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
      person: recordLoader<CareerStrategy>(people, 'personId'),
      targetOrganizations: recordsLoader(organizations, (s: CareerStrategy) => s.targetOrganizationIds),
      informedBy: recordsLoader(interviews, (s: CareerStrategy) => s.informedByInterviewIds),
      // Every strategy's revisions in one statement per distinct page asked.
      revisions: pagesLoader<CareerStrategy, CareerStrategyRevision, ConnectionArgs, null>(
        ({ ids }, { limit, cursor }, { requestContext }) => strategies.revisionsOf(requestContext, ids, limit, cursor),
        () => null,
      ),
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
