import { z } from 'zod';
import { opportunityKinds, opportunitySources, opportunityStatuses } from '../../db/schema/index.js';
import {
  ExternalId,
  ListQueryFields,
  OneOf,
  OptionalDateTime,
  OptionalText,
  OptionalUrl,
  OptionalUuid,
  QueryBoolean,
  RecordFields,
  RequiredText,
  Tags,
  Uuid,
} from '../shared/common.schemas.js';
import { createOpportunityExamples, opportunityExamples, updateOpportunityExamples } from './opportunities.examples.js';

export const OpportunityKind = OneOf(opportunityKinds);
export const OpportunitySource = OneOf(opportunitySources);
export const OpportunityStatus = OneOf(opportunityStatuses);

const Flag = z.boolean({ message: 'must be true or false' });

/**
 * Create and full-replace (PUT) input; the one schema REST, GraphQL and imports parse. The rules
 * across fields and records (referrer, source interview, transitions) are the service's.
 */
export const OpportunityInput = z
  .strictObject({
    externalId: ExternalId.nullish().transform((v) => v ?? null),
    seekerId: Uuid.meta({ description: 'The person pursuing it.' }),
    organizationId: OptionalUuid.meta({ description: 'The organization offering it.' }),
    title: RequiredText(300),
    kind: OpportunityKind.nullish().transform((v) => v ?? null),
    advertised: Flag.meta({ description: 'Was it ever publicly posted? false is the hidden job market.' }),
    source: OpportunitySource.nullish()
      .transform((v) => v ?? null)
      .meta({ description: 'How the seeker learned of it.' }),
    referredById: OptionalUuid.meta({ description: 'Who passed it on; required when source is referral; never the seeker.' }),
    sourceInterviewId: OptionalUuid.meta({ description: 'The informational interview where it came up; its requester is the seeker.' }),
    status: OpportunityStatus.nullish()
      .transform((v) => v ?? 'identified')
      .meta({ description: 'Defaults to identified. Changes follow the transitions of domain.md.' }),
    appliedAt: OptionalDateTime.meta({ description: 'Set to now on entering applied, unless given.' }),
    offeredAt: OptionalDateTime.meta({ description: 'Set to now on entering offered, unless given.' }),
    decidedAt: OptionalDateTime.meta({ description: 'Set to now on entering a final status, unless given.' }),
    location: OptionalText(500),
    url: OptionalUrl,
    tags: Tags,
    notes: OptionalText(10_000),
  })
  .meta({
    id: 'CreateOpportunity',
    description: 'A lead a person found through the network: a job, internship or project.',
    examples: createOpportunityExamples,
  });
export type OpportunityInput = z.output<typeof OpportunityInput>;

export const OpportunityPatch = OpportunityInput.partial().meta({
  id: 'UpdateOpportunity',
  description: 'A merge patch: only the fields to change; null clears a field. Status changes follow the transition rules.',
  examples: updateOpportunityExamples,
});

export const Opportunity = z
  .object({
    ...RecordFields,
    seekerId: z.uuid(),
    organizationId: z.uuid().nullable(),
    title: z.string(),
    kind: OpportunityKind.nullable(),
    advertised: z.boolean(),
    source: OpportunitySource.nullable(),
    referredById: z.uuid().nullable(),
    sourceInterviewId: z.uuid().nullable(),
    status: OpportunityStatus,
    appliedAt: z.iso.datetime().nullable(),
    offeredAt: z.iso.datetime().nullable(),
    decidedAt: z.iso.datetime().nullable(),
    location: z.string().nullable(),
    url: z.string().nullable(),
    tags: z.array(z.string()),
    notes: z.string().nullable(),
  })
  .meta({ id: 'Opportunity', examples: opportunityExamples });
export type Opportunity = z.output<typeof Opportunity>;

export const OpportunityListQuery = z.strictObject({
  ...ListQueryFields,
  seekerId: Uuid.optional().meta({ description: 'Pursued by this person.' }),
  organizationId: Uuid.optional(),
  status: OpportunityStatus.optional().meta({ examples: ['offered'] }),
  source: OpportunitySource.optional().meta({ examples: ['referral'] }),
  advertised: QueryBoolean.optional()
    .meta({ description: 'false: the hidden job market only.' }),
});
export type OpportunityListQuery = z.output<typeof OpportunityListQuery>;
