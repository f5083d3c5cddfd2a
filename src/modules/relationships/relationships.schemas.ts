import { z } from 'zod';
import { relationshipKinds, relationshipSources } from '../../db/schema/index.js';
import { ExternalId, ListQueryFields, OptionalDateTime, OptionalText, OptionalUuid, RecordFields, Uuid } from '../shared/common.schemas.js';

export const RelationshipKind = z.enum(relationshipKinds, { message: `must be one of ${relationshipKinds.join(', ')}` });
export const RelationshipSource = z.enum(relationshipSources, { message: `must be one of ${relationshipSources.join(', ')}` });

/**
 * Create and full-replace (PUT) input. The rules across fields (contactId and introducedById
 * differ from personId) are the service's: a refined object could not give its partial patch.
 */
export const RelationshipInput = z
  .strictObject({
    externalId: ExternalId.nullish().transform((v) => v ?? null),
    personId: Uuid.meta({ description: 'The person whose network this edge belongs to.' }),
    contactId: Uuid.meta({ description: 'The person they know; never personId. One edge per (personId, contactId).' }),
    kind: RelationshipKind.nullish().transform((v) => v ?? null),
    source: RelationshipSource.nullish()
      .transform((v) => v ?? null)
      .meta({ description: 'How the relationship began.' }),
    introducedById: OptionalUuid.meta({ description: 'Who made the introduction; neither personId nor contactId.' }),
    strength: z
      .number({ message: 'must be a whole number from 0 to 5' })
      .int('must be a whole number from 0 to 5')
      .min(0, 'must be at least 0')
      .max(5, 'must be at most 5')
      .nullish()
      .transform((v) => v ?? null),
    lastContactedAt: OptionalDateTime,
    notes: OptionalText(10_000),
  })
  .meta({ id: 'CreateRelationship', description: 'An edge of a network: personId knows contactId.' });
export type RelationshipInput = z.output<typeof RelationshipInput>;

export const RelationshipPatch = RelationshipInput.partial().meta({
  id: 'UpdateRelationship',
  description: 'A merge patch: only the fields to change; null clears a field.',
});

export const Relationship = z
  .object({
    ...RecordFields,
    personId: z.uuid(),
    contactId: z.uuid(),
    kind: RelationshipKind.nullable(),
    source: RelationshipSource.nullable(),
    introducedById: z.uuid().nullable(),
    strength: z.number().int().nullable(),
    lastContactedAt: z.iso.datetime().nullable(),
    notes: z.string().nullable(),
  })
  .meta({ id: 'Relationship' });
export type Relationship = z.output<typeof Relationship>;

export const RelationshipListQuery = z.strictObject({
  ...ListQueryFields,
  personId: Uuid.optional().meta({ description: 'Edges from this person: their network.' }),
  contactId: Uuid.optional().meta({ description: 'Edges to this person: who knows them.' }),
  source: RelationshipSource.optional(),
});
export type RelationshipListQuery = z.output<typeof RelationshipListQuery>;
