import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { Tenant } from './tenants.schemas.js';

const tenantsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/tenant',
    {
      schema: {
        operationId: 'getTenant',
        summary: "The caller's tenant",
        tags: ['tenant'],
        response: { 200: Tenant, ...ProblemResponses(401, 403) },
      },
    },
    (request) => app.services.tenants.current(requestContext(request)),
  );
};
export default tenantsRoutes;
