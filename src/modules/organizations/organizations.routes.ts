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
  service: (app) => app.services.organizations,
});
