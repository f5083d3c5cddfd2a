import { z } from 'zod';
import { organizationSizes } from '../../db/schema/index.js';
import { ExternalId, ListQueryFields, OptionalText, OptionalUrl, RecordFields, RequiredText, Tags } from '../shared/common.schemas.js';

export const OrganizationSize = z.enum(organizationSizes, { message: `must be one of ${organizationSizes.join(', ')}` });

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
  .meta({ id: 'CreateOrganization', description: 'An employer or any organization people work at.' });
export type OrganizationInput = z.output<typeof OrganizationInput>;

export const OrganizationPatch = OrganizationInput.partial().meta({
  id: 'UpdateOrganization',
  description: 'A merge patch: only the fields to change; null clears a field.',
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
  .meta({ id: 'Organization' });
export type Organization = z.output<typeof Organization>;

export const OrganizationListQuery = z.strictObject({
  ...ListQueryFields,
  q: z.string().trim().min(1).max(200).optional().meta({ description: 'Name starts with (case-insensitive).' }),
  tag: z.string().trim().min(1).max(100).optional(),
  industry: z.string().trim().min(1).max(200).optional(),
});
export type OrganizationListQuery = z.output<typeof OrganizationListQuery>;
