import { z } from 'zod';
import { relationshipKinds, relationshipSources } from '../../db/schema/index.js';
import { ExternalId, IntRange, ListQueryFields, OneOf, OptionalDateTime, OptionalText, OptionalUuid, RecordFields, Uuid } from '../shared/common.schemas.js';
import { createRelationshipExamples, relationshipExamples } from './relationships.examples.js';

export const RelationshipKind = OneOf(relationshipKinds);
export const RelationshipSource = OneOf(relationshipSources);

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
    strength: IntRange(0, 5)
      .nullish()
      .transform((v) => v ?? null),
    lastContactedAt: OptionalDateTime,
    notes: OptionalText(10_000),
  })
  .meta({
    id: 'CreateRelationship',
    description: 'An edge of a network: personId knows contactId.',
    examples: createRelationshipExamples,
  });
export type RelationshipInput = z.output<typeof RelationshipInput>;

export const RelationshipPatch = RelationshipInput.partial().meta({
  id: 'UpdateRelationship',
  description: 'A merge patch: only the fields to change; null clears a field.',
  examples: [{ strength: 3, lastContactedAt: '2026-10-06T16:45:00Z' }],
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
  .meta({
    id: 'Relationship',
    examples: relationshipExamples,
  });
export type Relationship = z.output<typeof Relationship>;

export const RelationshipListQuery = z.strictObject({
  ...ListQueryFields,
  personId: Uuid.optional().meta({ description: 'Edges from this person: their network.' }),
  contactId: Uuid.optional().meta({ description: 'Edges to this person: who knows them.' }),
  source: RelationshipSource.optional().meta({ examples: ['alumni_network'] }),
});
export type RelationshipListQuery = z.output<typeof RelationshipListQuery>;
