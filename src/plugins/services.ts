import fp from 'fastify-plugin';
import { createTenantsService, type TenantsService } from '../modules/tenants/tenants.service.js';

export interface Services {
  tenants: TenantsService;
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
    app.decorate('services', { tenants: createTenantsService(db) } satisfies Services);
  },
  { name: 'services', dependencies: ['database'] },
);
