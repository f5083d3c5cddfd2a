import type { EntityService } from '../shared/entity-service.js';
import { entityRoutes } from '../shared/entity.routes.js';
import { Organization, OrganizationInput, OrganizationListQuery, OrganizationPatch } from './organizations.schemas.js';

export default entityRoutes({
  path: 'organizations',
  singular: 'Organization',
  plural: 'Organizations',
  Record: Organization,
  Input: OrganizationInput,
  Patch: OrganizationPatch,
  Query: OrganizationListQuery,
  // Typed here: the registry's Services type is built from this module.
  service: (app): EntityService<Organization> => app.services.organizations,
});
