import { z } from 'zod';
import { organizationSizes } from '../../db/schema/index.js';
import { ExternalId, ListQueryFields, OneOf, OptionalText, OptionalUrl, RecordFields, RequiredText, Tags } from '../shared/common.schemas.js';
import { createOrganizationExamples, organizationExamples } from './organizations.examples.js';

export const OrganizationSize = OneOf(organizationSizes);

/** Create and full-replace (PUT) input; the one schema REST, GraphQL and imports parse. */
export const OrganizationInput = z
  .strictObject({
    externalId: ExternalId.nullish().transform((v) => v ?? null),
    name: RequiredText(200),
    website: OptionalUrl,
    industry: OptionalText(200),
    size: OrganizationSize.nullish().transform((v) => v ?? null),
    location: OptionalText(200),
    description: OptionalText(10_000),
    tags: Tags,
  })
  .meta({
    id: 'CreateOrganization',
    description: 'An employer or any organization people work at.',
    examples: createOrganizationExamples,
  });
export type OrganizationInput = z.output<typeof OrganizationInput>;

export const OrganizationPatch = OrganizationInput.partial().meta({
  id: 'UpdateOrganization',
  description: 'A merge patch: only the fields to change; null clears a field.',
  examples: [{ size: '1001-5000', description: null, tags: ['robotics', 'internships', 'alumni-employer'] }],
});

export const Organization = z
  .object({
    ...RecordFields,
    name: z.string(),
    website: z.string().nullable(),
    industry: z.string().nullable(),
    size: OrganizationSize.nullable(),
    location: z.string().nullable(),
    description: z.string().nullable(),
    tags: z.array(z.string()),
  })
  .meta({
    id: 'Organization',
    examples: organizationExamples,
  });
export type Organization = z.output<typeof Organization>;

export const OrganizationListQuery = z.strictObject({
  ...ListQueryFields,
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Name starts with (case-insensitive).', examples: ['acme'] }),
  tag: z.string().trim().min(1).max(100).optional(),
  industry: z.string().trim().min(1).max(200).optional().meta({ examples: ['Robotics'] }),
});
export type OrganizationListQuery = z.output<typeof OrganizationListQuery>;
