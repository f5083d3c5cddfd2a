import type { IResolvers } from 'mercurius';
import { opportunityKinds, opportunitySources, opportunityStatuses } from '../../db/schema/index.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, childrenLoader, recordLoader, totalCountLoader } from '../../graphql/loaders.js';
import { mergeResolvers } from '../../graphql/merge.js';
import type { InterviewsService } from '../interviews/interviews.service.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { PeopleService } from '../people/people.service.js';
import type { Opportunity } from './opportunities.schemas.js';
import type { OpportunitiesService } from './opportunities.service.js';

export const OpportunityKindEnum = graphqlEnum(opportunityKinds);
export const OpportunitySourceEnum = graphqlEnum(opportunitySources);
export const OpportunityStatusEnum = graphqlEnum(opportunityStatuses);

/** GraphQL input (and a list filter) as REST's: kind, source and status names as their values. */
const toRest = enumInputs({ kind: OpportunityKindEnum, source: OpportunitySourceEnum, status: OpportunityStatusEnum });

export function opportunitiesResolvers(opportunities: OpportunitiesService): IResolvers {
  return mergeResolvers([
    entityResolvers(opportunities, { one: 'opportunity', many: 'opportunities', type: 'Opportunity' }, toRest),
    {
      Opportunity: {
        kind: (o: Opportunity) => OpportunityKindEnum.out(o.kind),
        source: (o: Opportunity) => OpportunitySourceEnum.out(o.source),
        status: (o: Opportunity) => OpportunityStatusEnum.out(o.status),
      },
    },
  ]);
}

/** Relations, batched per request (see src/graphql/loaders.ts). */
export function opportunitiesLoaders(opportunities: OpportunitiesService, people: PeopleService, organizations: OrganizationsService, interviews: InterviewsService): Loaders {
  return {
    Opportunity: {
      seeker: recordLoader<Opportunity>(people, 'seekerId'),
      organization: recordLoader<Opportunity>(organizations, 'organizationId'),
      referredBy: recordLoader<Opportunity>(people, 'referredById'),
      sourceInterview: recordLoader<Opportunity>(interviews, 'sourceInterviewId'),
    },
    Person: {
      opportunities: childrenLoader(opportunities, () => ({ parent: 'seekerId' })),
      opportunitiesReferred: childrenLoader(opportunities, () => ({ parent: 'referredById' })),
    },
    Organization: { opportunities: childrenLoader(opportunities, () => ({ parent: 'organizationId' })) },
    Interview: { opportunities: childrenLoader(opportunities, () => ({ parent: 'sourceInterviewId' })) },
    OpportunityConnection: { totalCount: totalCountLoader(opportunities) },
  };
}
