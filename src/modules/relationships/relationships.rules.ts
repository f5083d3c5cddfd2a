import type { Executor } from '../../db/client.js';
import { people } from '../../db/schema/index.js';
import type { Pending } from '../shared/entity-definition.js';
import { missingIn, type Existing, type Reference } from '../shared/references.js';
import type { Problem } from '../shared/rules.js';
import { findPairs, pairKey } from './relationships.repository.js';
import type { Relationship, RelationshipInput } from './relationships.schemas.js';

export interface RelationshipFacts {
  /** Stored edges among the batch's pairs: "person>contact" -> id. */
  pairs: Map<string, string>;
}

export const relationshipReferences = (input: RelationshipInput): Reference[] => [
  { path: 'personId', table: people, id: input.personId, noun: 'person' },
  { path: 'contactId', table: people, id: input.contactId, noun: 'person' },
  { path: 'introducedById', table: people, id: input.introducedById, noun: 'person' },
];

export const loadRelationshipFacts = async (db: Executor, tenantId: string, pending: Pending<RelationshipInput, Relationship>[]): Promise<RelationshipFacts> => ({
  pairs: await findPairs(db, tenantId, pending.map((p) => p.input)),
});

/** No self-edge, an introducer who is a third person, the people exist, one edge per ordered pair. */
export function relationshipRules(input: RelationshipInput, current: Relationship | null, facts: RelationshipFacts & { existing: Existing }): Problem[] {
  const problems: Problem[] = [];
  if (input.contactId === input.personId) problems.push({ path: 'contactId', message: 'must differ from personId' });
  if (input.introducedById !== null && (input.introducedById === input.personId || input.introducedById === input.contactId)) {
    problems.push({ path: 'introducedById', message: 'must be neither personId nor contactId' });
  }
  problems.push(...missingIn(facts.existing, relationshipReferences(input)));
  const taken = facts.pairs.get(pairKey(input));
  if (taken && taken !== current?.id) {
    problems.push({ path: 'contactId', message: 'is already taken', kind: 'conflict', detail: 'A relationship from this personId to this contactId already exists.' });
  }
  return problems;
}
