import type { Db } from '../../db/client.js';
import { opportunities } from '../../db/schema/index.js';
import { createEntityService } from '../shared/entity-service.js';
import { dateOf, presentRecords } from '../shared/records.js';
import { loadOpportunityFacts, opportunityReferences, opportunityRules, prepareOpportunity } from './opportunity-rules.js';
import { opportunitiesRepository, type OpportunityRow } from './opportunities.repository.js';
import { OpportunityInput, OpportunityListQuery } from './opportunities.schemas.js';

export function createOpportunitiesService(db: Db) {
  return createEntityService(db, {
    noun: 'opportunity',
    repository: opportunitiesRepository,
    Input: OpportunityInput,
    Query: OpportunityListQuery,
    present: presentRecords<OpportunityRow>,
    toValues: ({ appliedAt, offeredAt, decidedAt, ...rest }) => ({
      ...rest,
      appliedAt: dateOf(appliedAt),
      offeredAt: dateOf(offeredAt),
      decidedAt: dateOf(decidedAt),
    }),
    prepare: prepareOpportunity,
    references: opportunityReferences,
    facts: loadOpportunityFacts,
    rules: opportunityRules,
    // Nothing refers to an opportunity.
    dependents: async () => ({}),
    cascade: async () => {},
    constraintPaths: {
      opportunities_seeker_fk: 'seekerId',
      opportunities_organization_fk: 'organizationId',
      opportunities_referred_by_fk: 'referredById',
      opportunities_source_interview_fk: 'sourceInterviewId',
      opportunities_not_self_referred_check: 'referredById',
    },
    // The record is its row: GraphQL may build it as JSON in SQL.
    recordColumns: {},
    parents: {
      seekerId: opportunities.seekerId,
      referredById: opportunities.referredById,
      organizationId: opportunities.organizationId,
      sourceInterviewId: opportunities.sourceInterviewId,
    },
  });
}
export type OpportunitiesService = ReturnType<typeof createOpportunitiesService>;
