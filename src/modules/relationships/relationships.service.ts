import type { Db } from '../../db/client.js';
import { relationships } from '../../db/schema/index.js';
import { dateOf, presentRecords } from '../shared/records.js';
import { createEntityService } from '../shared/entity-service.js';
import { relationshipsRepository, type RelationshipRow } from './relationships.repository.js';
import { loadRelationshipFacts, relationshipReferences, relationshipRules } from './relationships.rules.js';
import { RelationshipInput, RelationshipListQuery } from './relationships.schemas.js';

export const relationshipConstraintPaths = {
  relationships_pair_key: 'contactId',
  relationships_person_fk: 'personId',
  relationships_contact_fk: 'contactId',
  relationships_introduced_by_fk: 'introducedById',
  relationships_not_self_check: 'contactId',
  relationships_strength_check: 'strength',
};

export function createRelationshipsService(db: Db) {
  return createEntityService(db, {
    noun: 'relationship',
    repository: relationshipsRepository,
    Input: RelationshipInput,
    Query: RelationshipListQuery,
    present: presentRecords<RelationshipRow>,
    toValues: ({ lastContactedAt, ...input }) => ({ ...input, lastContactedAt: dateOf(lastContactedAt) }),
    references: relationshipReferences,
    facts: loadRelationshipFacts,
    rules: relationshipRules,
    // Nothing refers to an edge.
    dependents: async () => ({}),
    cascade: async () => {},
    constraintPaths: relationshipConstraintPaths,
    // The record is its row (and its child lists): GraphQL may build it as JSON in SQL.
    recordColumns: {},
    parents: { personId: relationships.personId, contactId: relationships.contactId, personOrContactId: [relationships.personId, relationships.contactId] },
  });
}
export type RelationshipsService = ReturnType<typeof createRelationshipsService>;
