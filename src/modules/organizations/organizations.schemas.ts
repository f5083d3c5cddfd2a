import { z } from 'zod';
import { organizationSizes } from '../../db/schema/index.js';
import { ExternalId, ListQueryFields, OneOf, OptionalText, OptionalUrl, RecordFields, RequiredText, Tags } from '../shared/common.schemas.js';
import { exampleIds } from '../shared/examples.js';

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
    examples: [
      {
        externalId: 'org-acme-robotics',
        name: 'Acme Robotics',
        website: 'https://acme-robotics.example.com',
        industry: 'Robotics',
        size: '201-1000',
        location: 'Pittsburgh, PA',
        tags: ['robotics', 'internships'],
      },
    ],
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
    examples: [
      {
        id: exampleIds.acmeRobotics,
        externalId: 'org-acme-robotics',
        createdAt: '2026-09-01T14:05:00.000Z',
        updatedAt: '2026-09-01T14:05:00.000Z',
        version: 1,
        name: 'Acme Robotics',
        website: 'https://acme-robotics.example.com',
        industry: 'Robotics',
        size: '201-1000',
        location: 'Pittsburgh, PA',
        description: 'Builds autonomous mobile robots for warehouses.',
        tags: ['robotics', 'internships'],
      },
    ],
  });
export type Organization = z.output<typeof Organization>;

export const OrganizationListQuery = z.strictObject({
  ...ListQueryFields,
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Name starts with (case-insensitive).', examples: ['acme'] }),
  tag: z.string().trim().min(1).max(100).optional(),
  industry: z.string().trim().min(1).max(200).optional().meta({ examples: ['Robotics'] }),
});
export type OrganizationListQuery = z.output<typeof OrganizationListQuery>;
