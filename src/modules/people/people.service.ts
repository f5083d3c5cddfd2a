import { arrayContains, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { organizations, people } from '../../db/schema/index.js';
import { presentRecords } from '../shared/records.js';
import { createEntityService, type EntityService } from '../shared/entity-service.js';
import { assertReferencesExist } from '../shared/references.js';
import { personDependents, personSearch, removePersonReferences, type PersonRow } from './people.repository.js';
import { PersonInput, PersonListQuery, type Person } from './people.schemas.js';

export function createPeopleService(db: Db): EntityService<Person> {
  return createEntityService(db, {
    noun: 'person',
    table: people,
    Input: PersonInput,
    Query: PersonListQuery,
    present: presentRecords<PersonRow>,
    toValues: (input) => input,
    filters: (q) => {
      const where: SQL[] = [];
      if (q.q) where.push(personSearch(q.q));
      // Array containment: served by the GIN indexes people_tags_idx and people_roles_idx.
      if (q.tag) where.push(arrayContains(people.tags, [q.tag]));
      if (q.role) where.push(arrayContains(people.roles, [q.role]));
      if (q.organizationId) where.push(eq(people.organizationId, q.organizationId));
      return where;
    },
    check: (tx, ctx, input) =>
      assertReferencesExist(tx, ctx.tenantId, [{ path: 'organizationId', table: organizations, id: input.organizationId, noun: 'organization' }]),
    dependents: personDependents,
    cascade: removePersonReferences,
    constraintPaths: {
      people_organization_fk: 'organizationId',
      people_roles_check: 'roles',
      people_graduation_year_check: 'graduationYear',
    },
  });
}
