import type { EntityService } from '../shared/entity-service.js';
import { entityRoutes } from '../shared/entity.routes.js';
import { Relationship, RelationshipInput, RelationshipListQuery, RelationshipPatch } from './relationships.schemas.js';

export default entityRoutes({
  path: 'relationships',
  singular: 'Relationship',
  plural: 'Relationships',
  Record: Relationship,
  Input: RelationshipInput,
  Patch: RelationshipPatch,
  Query: RelationshipListQuery,
  // Typed here: the registry's Services type is built from this module.
  service: (app): EntityService<Relationship> => app.services.relationships,
});
