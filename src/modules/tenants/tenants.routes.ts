import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { exampleIds } from '../shared/examples.js';

export const TenantResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'Tenant',
    description: "The caller's tenant.",
    examples: [
      { id: exampleIds.tenant, name: 'Northfield University Career Center', slug: 'northfield-career-center', createdAt: '2026-08-17T09:00:00.000Z' },
    ],
  });

const tenantsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/tenant',
    {
      schema: {
        operationId: 'getTenant',
        summary: "The caller's tenant",
        tags: ['tenant'],
        response: { 200: TenantResponse, ...ProblemResponses(401, 403) },
      },
    },
    (request) => app.services.tenants.current(requestContext(request)),
  );
};
export default tenantsRoutes;
