import type { Db } from '../../db/client.js';
import { organizations, people } from '../../db/schema/index.js';
import { createEntityService } from '../shared/entity-service.js';
import { presentRecords } from '../shared/records.js';
import { missingIn, type Reference } from '../shared/references.js';
import { peopleRepository, personDependents, removePersonReferences, type PersonRow } from './people.repository.js';
import { PersonInput, PersonListQuery } from './people.schemas.js';

const personReferences = (input: PersonInput): Reference[] => [{ path: 'organizationId', table: organizations, id: input.organizationId, noun: 'organization' }];

export function createPeopleService(db: Db) {
  return createEntityService(db, {
    noun: 'person',
    repository: peopleRepository,
    Input: PersonInput,
    Query: PersonListQuery,
    present: presentRecords<PersonRow>,
    toValues: (input) => input,
    references: personReferences,
    rules: (input, _current, facts) => missingIn(facts.existing, personReferences(input)),
    dependents: personDependents,
    cascade: removePersonReferences,
    constraintPaths: {
      people_organization_fk: 'organizationId',
      people_roles_check: 'roles',
      people_graduation_year_check: 'graduationYear',
    },
    // The record is its row (and its child lists): GraphQL may build it as JSON in SQL.
    recordColumns: {},
    parents: { organizationId: people.organizationId },
  });
}
export type PeopleService = ReturnType<typeof createPeopleService>;
