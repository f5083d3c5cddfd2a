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
  service: (app) => app.services.people,
});
