import type { IResolvers, MercuriusContext } from 'mercurius';
import { insightCategories, interviewFormats, interviewStatuses } from '../../db/schema/index.js';
import type { ConnectionArgs } from '../../graphql/connections.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, childrenLoader, recordLoader, totalCountLoader } from '../../graphql/loaders.js';
import { mergeResolvers } from '../../graphql/merge.js';
import { visible } from '../../graphql/mutations.js';
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

type Lifecycle = { id: string; expectedVersion?: number | null };

export function interviewsResolvers(interviews: InterviewsService): IResolvers {
  // An intention-named mutation is a status change through the same update (and rules) as
  // updateInterview and REST's PATCH; its arguments are named as the fields they set.
  const move = (status: Interview['status'], fields: (args: Lifecycle & Record<string, unknown>) => Record<string, unknown> = () => ({})) =>
    async (_root: unknown, args: Lifecycle & Record<string, unknown>, { requestContext: ctx }: MercuriusContext) => {
      const record = await interviews.update(ctx, args.id, { status, ...fields(args) }, args.expectedVersion ?? undefined);
      return { interview: visible(ctx, record) };
    };
  return mergeResolvers([
    entityResolvers(interviews, { one: 'interview', many: 'interviews', type: 'Interview' }, toRest),
    {
      Mutation: {
        requestInterview: move('requested'),
        scheduleInterview: move('scheduled', ({ scheduledAt }) => ({ scheduledAt })),
        completeInterview: move('completed', ({ occurredAt }) => (occurredAt ? { occurredAt } : {})),
        cancelInterview: move('cancelled'),
        markInterviewNoShow: move('no_show'),
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
      requester: recordLoader(people, (i: Interview) => i.requesterId),
      interviewee: recordLoader(people, (i: Interview) => i.intervieweeId),
      organization: recordLoader(organizations, (i: Interview) => i.organizationId),
    },
    Referral: {
      person: recordLoader(people, (r: Interview['referrals'][number]) => r.personId),
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
