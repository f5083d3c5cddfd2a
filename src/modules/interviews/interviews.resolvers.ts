import type { IResolvers } from 'mercurius';
import { insightCategories, interviewFormats, interviewStatuses } from '../../db/schema/index.js';
import type { ConnectionArgs } from '../../graphql/connections.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, childrenLoader, recordLoader, totalCountLoader } from '../../graphql/loaders.js';
import { mergeResolvers } from '../../graphql/merge.js';
import { intentMutation } from '../../graphql/mutations.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { PeopleService } from '../people/people.service.js';
import type { Interview } from './interviews.schemas.js';
import type { InterviewsService } from './interviews.service.js';

export const InterviewStatusEnum = graphqlEnum(interviewStatuses);
export const InterviewFormatEnum = graphqlEnum(interviewFormats);
export const InsightCategoryEnum = graphqlEnum(insightCategories);

/** GraphQL input (and a list filter) as REST's: status, format and insight categories as values. */
const toRest = enumInputs({ status: InterviewStatusEnum, format: InterviewFormatEnum, 'insights.category': InsightCategoryEnum });

/** Person.interviews' role as the column the interviews name the person by. */
const byRole = { REQUESTER: 'requesterId', INTERVIEWEE: 'intervieweeId', ANY: 'requesterOrIntervieweeId' } as const;

export function interviewsResolvers(interviews: InterviewsService): IResolvers {
  return mergeResolvers([
    entityResolvers(interviews, { one: 'interview', many: 'interviews', type: 'Interview' }, toRest),
    {
      Mutation: {
        // Status changes by intention: the transition rules are the service's.
        requestInterview: intentMutation(interviews, 'interview', () => ({ status: 'requested' })),
        scheduleInterview: intentMutation(interviews, 'interview', ({ scheduledAt }) => ({ status: 'scheduled', scheduledAt })),
        completeInterview: intentMutation(interviews, 'interview', ({ occurredAt }) => ({ status: 'completed', ...(occurredAt ? { occurredAt } : {}) })),
        cancelInterview: intentMutation(interviews, 'interview', () => ({ status: 'cancelled' })),
        markInterviewNoShow: intentMutation(interviews, 'interview', () => ({ status: 'no_show' })),
      },
      Interview: {
        status: (i: Interview) => InterviewStatusEnum.out(i.status),
        format: (i: Interview) => InterviewFormatEnum.out(i.format),
      },
      Insight: {
        category: (i: Interview['insights'][number]) => InsightCategoryEnum.out(i.category),
      },
    } as IResolvers,
  ]);
}

/** Relations, batched per request (see src/graphql/loaders.ts). */
export function interviewsLoaders(interviews: InterviewsService, people: PeopleService, organizations: OrganizationsService): Loaders {
  return {
    Interview: {
      requester: recordLoader<Interview>(people, 'requesterId'),
      interviewee: recordLoader<Interview>(people, 'intervieweeId'),
      organization: recordLoader<Interview>(organizations, 'organizationId'),
    },
    Referral: {
      person: recordLoader<Interview['referrals'][number]>(people, 'personId'),
    },
    Person: {
      interviews: childrenLoader(interviews, (args: ConnectionArgs & { role: keyof typeof byRole }) => ({ parent: byRole[args.role] })),
    },
    Organization: {
      interviews: childrenLoader(interviews, () => ({ parent: 'organizationId' })),
    },
    InterviewConnection: { totalCount: totalCountLoader(interviews) },
  };
}
