import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { IdParams } from '../shared/common.schemas.js';
import { IdempotencyHeaders } from '../idempotency/idempotency.http.js';
import { ApiKey, ApiKeyInput, CreatedApiKey } from './api-keys.schemas.js';

const tags = ['api-keys'];

const apiKeysRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/api-keys',
    {
      schema: {
        operationId: 'listApiKeys',
        summary: "The tenant's API keys (never their secrets)",
        tags,
        response: { 200: z.object({ data: z.array(ApiKey) }), ...ProblemResponses(401, 403, 503) },
      },
    },
    (request) => app.services.apiKeys.list(requestContext(request)),
  );

  app.post(
    '/v1/api-keys',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'createApiKey',
        summary: 'Create an API key; its secret is in this answer only',
        description:
          'The secret is shown once and never stored. A retry with the same `Idempotency-Key` replays the answer ' +
          'without `secret` (it is not kept anywhere): revoke that key and create another if the first answer was lost.',
        tags,
        headers: IdempotencyHeaders,
        body: ApiKeyInput,
        response: { 201: CreatedApiKey, ...ProblemResponses(400, 401, 403, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const { record, replayed } = await app.services.apiKeys.create(requestContext(request), request.body, {
        idempotency: request.idempotency,
      });
      if (replayed) reply.header('idempotent-replayed', 'true');
      reply.code(201).header('location', `/v1/api-keys/${record.id}`);
      return record;
    },
  );

  app.delete(
    '/v1/api-keys/:id',
    {
      schema: {
        operationId: 'revokeApiKey',
        summary: 'Revoke an API key (final; revoking again is a no-op)',
        tags,
        params: IdParams,
        response: { 204: z.null().describe('Revoked'), ...ProblemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await app.services.apiKeys.revoke(requestContext(request), request.params.id);
      return reply.code(204).send(null);
    },
  );
};
export default apiKeysRoutes;
