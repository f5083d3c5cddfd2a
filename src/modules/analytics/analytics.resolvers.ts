import type { IResolvers } from 'mercurius';
import { listQueryOf } from '../../graphql/connections.js';
import { graphqlEnum } from '../../graphql/enums.js';
import type { Loaders } from '../../graphql/loaders.js';
import { InterviewStatusEnum } from '../interviews/interviews.resolvers.js';
import { OpportunityStatusEnum } from '../opportunities/opportunities.resolvers.js';
import { RelationshipSourceEnum } from '../relationships/relationships.resolvers.js';
import { SKILLS, type AnalyticsSummary, type PersonProgress } from './analytics.schemas.js';
import type { AnalyticsService } from './analytics.service.js';

export const SkillEnum = graphqlEnum(SKILLS);

type Of<T extends unknown[]> = T[number];

export function analyticsResolvers(analytics: AnalyticsService): IResolvers {
  return {
    Query: {
      analytics: (_root: unknown, { filter }: { filter?: Record<string, unknown> | null }, { requestContext }) => analytics.summary(requestContext, listQueryOf(filter)),
    },
    InterviewStatusCount: { status: (c: Of<AnalyticsSummary['interviewsByStatus']>) => InterviewStatusEnum.out(c.status) },
    OpportunityStatusCount: { status: (c: Of<PersonProgress['opportunitiesByStatus']>) => OpportunityStatusEnum.out(c.status) },
    NetworkGrowth: { source: (g: Of<AnalyticsSummary['networkGrowth']>) => RelationshipSourceEnum.out(g.source as never) },
    SkillGrowth: { skill: (g: Of<AnalyticsSummary['skillGrowth']>) => SkillEnum.out(g.skill) },
  } as IResolvers;
}

/** Person.progress for every person of a response in one statement. */
export function analyticsLoaders(analytics: AnalyticsService): Loaders {
  return {
    Person: { progress: async (queries: { obj: { id: string } }[], context) => analytics.progressOfMany(context.requestContext, queries.map((q) => q.obj.id)) },
  };
}
