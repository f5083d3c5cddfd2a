import fp from 'fastify-plugin';
import type { Organization } from '../modules/organizations/organizations.schemas.js';
import { createOrganizationsService } from '../modules/organizations/organizations.service.js';
import type { EntityService } from '../modules/shared/entity-service.js';
import { createTenantsService, type TenantsService } from '../modules/tenants/tenants.service.js';

export interface Services {
  tenants: TenantsService;
  organizations: EntityService<Organization>;
  // more entity services: add the type here
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

/** The services both adapters call; built once over the app's database. */
export default fp(
  async (app) => {
    const db = app.database.db;
    app.decorate('services', {
      tenants: createTenantsService(db),
      organizations: createOrganizationsService(db),
      // more entity services: add the factory call here
    } satisfies Services);
  },
  { name: 'services', dependencies: ['database'] },
);
