import { CareerStrategyInput } from '../career-strategies/career-strategies.schemas.js';
import type { CareerStrategiesService } from '../career-strategies/career-strategies.service.js';
import { InterviewInput } from '../interviews/interviews.schemas.js';
import type { InterviewsService } from '../interviews/interviews.service.js';
import { OpportunityInput } from '../opportunities/opportunities.schemas.js';
import type { OpportunitiesService } from '../opportunities/opportunities.service.js';
import { OrganizationInput } from '../organizations/organizations.schemas.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import { QuestionTemplateInput } from '../question-templates/question-templates.schemas.js';
import type { QuestionTemplatesService } from '../question-templates/question-templates.service.js';
import { PersonInput } from '../people/people.schemas.js';
import type { PeopleService } from '../people/people.service.js';
import { RelationshipInput } from '../relationships/relationships.schemas.js';
import type { RelationshipsService } from '../relationships/relationships.service.js';
import type { ImportEntity, ImportTarget } from './imports.service.js';

/** What each entity's rows are, and the records they may name by external ID. */
export function importTargets(s: {
  organizations: OrganizationsService;
  people: PeopleService;
  relationships: RelationshipsService;
  interviews: InterviewsService;
  careerStrategies: CareerStrategiesService;
  opportunities: OpportunitiesService;
  questionTemplates: QuestionTemplatesService;
}): Record<ImportEntity, ImportTarget> {
  const person = (column: string, field: string) => ({ column, field, target: s.people, noun: 'person' });
  const organization = { column: 'organizationExternalId', field: 'organizationId', target: s.organizations, noun: 'organization' };
  return {
    organizations: { service: s.organizations, input: OrganizationInput, references: [] },
    people: { service: s.people, input: PersonInput, references: [organization] },
    relationships: {
      service: s.relationships,
      input: RelationshipInput,
      references: [person('personExternalId', 'personId'), person('contactExternalId', 'contactId'), person('introducedByExternalId', 'introducedById')],
    },
    interviews: {
      service: s.interviews,
      input: InterviewInput,
      references: [person('requesterExternalId', 'requesterId'), person('intervieweeExternalId', 'intervieweeId'), organization],
    },
    'career-strategies': { service: s.careerStrategies, input: CareerStrategyInput, references: [person('personExternalId', 'personId')] },
    opportunities: {
      service: s.opportunities,
      input: OpportunityInput,
      references: [
        person('seekerExternalId', 'seekerId'),
        person('referredByExternalId', 'referredById'),
        organization,
        { column: 'sourceInterviewExternalId', field: 'sourceInterviewId', target: s.interviews, noun: 'interview' },
      ],
    },
    'question-templates': { service: s.questionTemplates, input: QuestionTemplateInput, references: [] },
  };
}
