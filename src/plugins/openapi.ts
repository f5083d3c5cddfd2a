import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { stringify } from 'yaml';
import { z } from 'zod';
import { ERRORS } from '../errors.js';

export const Problem = z
  .object({
    type: z.string().meta({ example: 'urn:problem:validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...(keyof typeof ERRORS)[]]),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
  })
  .catchall(z.unknown())
  .meta({ id: 'Problem', description: 'An RFC 9457 problem; `code` is stable, `detail` is for people.' });

/** The problem responses a route can give, for its schema: `...ProblemResponses(401, 403)`. */
export const ProblemResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, Problem.describe(describeStatus(status))]));

const describeStatus = (status: number) =>
  Object.values(ERRORS)
    .filter((e) => e.status === status)
    .map((e) => e.title)
    .join(' / ');

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Informational Interviews API',
          version: '1.0.0',
          description: 'People, organizations, relationships, informational interviews and career strategies, per tenant.',
          license: { name: 'MIT', identifier: 'MIT' },
        },
        servers: [{ url: 'http://localhost:3000', description: 'Local' }],
        components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `iik_…`' } } },
        security: [{ apiKey: [] }],
        tags: [{ name: 'tenant', description: "The caller's tenant" }],
      },
      // GraphQL has its own contract (schema.graphql); its routes carry JSON schemas, not zod.
      transform: createJsonSchemaTransform({ skipList: ['/graphql', '/graphiql', '/graphiql/*', '/graphiql/*.js'] }),
      transformObject: jsonSchemaTransformObject,
    });
    const hide = { schema: { hide: true } };
    app.get('/openapi.json', hide, () => app.swagger());
    app.get('/openapi.yaml', hide, (_request, reply) => reply.type('application/yaml; charset=utf-8').send(openapiYaml(app.swagger())));
  },
  { name: 'openapi' },
);

export const openapiYaml = (document: unknown): string => stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
