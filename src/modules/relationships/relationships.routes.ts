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
  service: (app) => app.services.relationships,
});
