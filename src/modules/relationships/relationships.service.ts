import { eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { people, relationships } from '../../db/schema/index.js';
import { AppError, type FieldError } from '../../errors.js';
import { dateOf, presentRecords } from '../shared/records.js';
import { createEntityService, type EntityService } from '../shared/entity-service.js';
import { assertReferencesExist } from '../shared/references.js';
import { invalid } from '../shared/validation.js';
import { findPair, type RelationshipRow } from './relationships.repository.js';
import { RelationshipInput, RelationshipListQuery, type Relationship } from './relationships.schemas.js';

/** The rules across fields: no self-edge, and an introducer is a third person. */
function pairErrors(input: RelationshipInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.contactId === input.personId) errors.push({ path: 'contactId', message: 'must differ from personId' });
  if (input.introducedById !== null && (input.introducedById === input.personId || input.introducedById === input.contactId)) {
    errors.push({ path: 'introducedById', message: 'must be neither personId nor contactId' });
  }
  return errors;
}

export function createRelationshipsService(db: Db): EntityService<Relationship> {
  return createEntityService(db, {
    noun: 'relationship',
    table: relationships,
    Input: RelationshipInput,
    Query: RelationshipListQuery,
    present: presentRecords<RelationshipRow>,
    toValues: ({ lastContactedAt, ...input }) => ({ ...input, lastContactedAt: dateOf(lastContactedAt) }),
    filters: (q) => {
      const where: SQL[] = [];
      if (q.personId) where.push(eq(relationships.personId, q.personId));
      if (q.contactId) where.push(eq(relationships.contactId, q.contactId));
      if (q.source) where.push(eq(relationships.source, q.source));
      return where;
    },
    check: async (tx, ctx, input, current) => {
      const errors = pairErrors(input);
      if (errors.length) throw invalid(errors);
      await assertReferencesExist(tx, ctx.tenantId, [
        { path: 'personId', table: people, id: input.personId, noun: 'person' },
        { path: 'contactId', table: people, id: input.contactId, noun: 'person' },
        { path: 'introducedById', table: people, id: input.introducedById, noun: 'person' },
      ]);
      if (await findPair(tx, ctx.tenantId, input.personId, input.contactId, current?.id)) {
        throw new AppError('conflict', 'A relationship from this personId to this contactId already exists.', {
          errors: [{ path: 'contactId', message: 'is already taken' }],
        });
      }
    },
    dependents: async () => ({}),
    cascade: async () => {},
    constraintPaths: {
      relationships_pair_key: 'contactId',
      relationships_person_fk: 'personId',
      relationships_contact_fk: 'contactId',
      relationships_introduced_by_fk: 'introducedById',
      relationships_not_self_check: 'contactId',
      relationships_strength_check: 'strength',
    },
  });
}
