import fp from 'fastify-plugin';
import type { Interview } from '../modules/interviews/interviews.schemas.js';
import { createInterviewsService } from '../modules/interviews/interviews.service.js';
import { createApiKeysService, type ApiKeysService } from '../modules/api-keys/api-keys.service.js';
import { createCareerStrategiesService } from '../modules/career-strategies/career-strategies.service.js';
import type { Organization } from '../modules/organizations/organizations.schemas.js';
import { createOrganizationsService } from '../modules/organizations/organizations.service.js';
import type { Person } from '../modules/people/people.schemas.js';
import { createPeopleService } from '../modules/people/people.service.js';
import type { Relationship } from '../modules/relationships/relationships.schemas.js';
import { createRelationshipsService } from '../modules/relationships/relationships.service.js';
import type { EntityService } from '../modules/shared/entity-service.js';
import { createTenantsService, type TenantsService } from '../modules/tenants/tenants.service.js';

export interface Services {
  tenants: TenantsService;
  apiKeys: ApiKeysService;
  organizations: EntityService<Organization>;
  people: EntityService<Person>;
  relationships: EntityService<Relationship>;
  careerStrategies: ReturnType<typeof createCareerStrategiesService>;
  // more entity services: add the type here
  interviews: EntityService<Interview>;
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
      apiKeys: createApiKeysService(db),
      organizations: createOrganizationsService(db),
      people: createPeopleService(db),
      relationships: createRelationshipsService(db),
      careerStrategies: createCareerStrategiesService(db),
      // more entity services: add the factory call here
      interviews: createInterviewsService(db),
    } satisfies Services);
  },
  { name: 'services', dependencies: ['database'] },
);
