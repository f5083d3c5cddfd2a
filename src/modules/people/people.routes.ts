import type { EntityService } from '../shared/entity-service.js';
import { entityRoutes } from '../shared/entity.routes.js';
import { Person, PersonInput, PersonListQuery, PersonPatch } from './people.schemas.js';

export default entityRoutes({
  path: 'people',
  singular: 'Person',
  plural: 'People',
  Record: Person,
  Input: PersonInput,
  Patch: PersonPatch,
  Query: PersonListQuery,
  // Typed here: the registry's Services type is built from this module.
  service: (app): EntityService<Person> => app.services.people,
});
