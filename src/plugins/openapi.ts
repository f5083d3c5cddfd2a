import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createJsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { stringify } from 'yaml';

const zodTransform = createJsonSchemaTransform({});

/** The policy of the /docs pages: everything from this origin, nothing inline but styles. */
export const DOCS_CSP =
  "default-src 'self'; base-uri 'self'; connect-src 'self'; font-src 'self' data:; form-action 'self'; " +
  "frame-ancestors 'none'; img-src 'self' data:; object-src 'none'; script-src 'self'; script-src-attr 'none'; " +
  "style-src 'self' 'unsafe-inline'";

/**
 * The components, with the examples of the input schemas kept. zod leaves `examples` out of the
 * input JSON Schema of a schema that transforms (it takes them for output values), and every
 * CreateX and UpdateX does; their examples are written as inputs (each one parses), so the
 * `XInput` component gets those of `X`, the same schema's output side, which has them.
 */
const zodTransformObject: typeof jsonSchemaTransformObject = (document) => {
  const transformed = jsonSchemaTransformObject(document);
  const components = 'components' in transformed ? transformed.components : undefined;
  const schemas = (components?.schemas ?? {}) as Record<string, { examples?: unknown }>;
  for (const [name, schema] of Object.entries(schemas)) {
    const input = schemas[`${name}Input`];
    if (input && schema.examples && !input.examples) input.examples = schema.examples;
  }
  return transformed;
};

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the app serves, as `METHOD /url`: the inventory the contract test checks. */
    routeInventory: string[];
  }
}

export default fp(
  async (app) => {
    const inventory: string[] = [];
    app.decorate('routeInventory', inventory);
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) inventory.push(`${method} ${route.url}`);
    });
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Informational Interviews API',
          version: '1.0.0',
          description: [
            'People, organizations, relationships, informational interviews and career strategies, per tenant.',
            '',
            '**Keys and scopes.** `Authorization: Bearer iik_…`. Scopes imply nothing else: `read` reads; `write` creates, ' +
              'changes and deletes; `admin` manages keys. A key without `read` gets its writes answered without a body ' +
              '(as with `Prefer: return=minimal`).',
            '**Budgets.** Per API key per minute, and failed authentications per client address: 429 with `Retry-After`; ' +
              'answers carry `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset`.',
            '**Input.** JSON bodies nest at most 32 levels, in UTF-8; text with a NUL character, a lone surrogate or ' +
              'percent-encoding that is not UTF-8 is a 400 naming the field; date-times lie in the years 0001-9999. A 400 ' +
              'lists at most 100 `errors` and says how many there were (`errorCount`).',
            '**Caching.** Every answer is `Cache-Control: no-store`.',
          ].join('\n'),
          license: { name: 'MIT', identifier: 'MIT' },
        },
        servers: [{ url: '/', description: 'The server that serves this document' }],
        components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key: `iik_…`' } } },
        security: [{ apiKey: [] }],
        tags: [{ name: 'tenant', description: "The caller's tenant" }],
      },
      // The REST contract is /v1. GraphQL has its own (schema.graphql), and its routes carry
      // JSON schemas, not zod; health and documents are not operations of the API.
      transform: (args) => (args.url.startsWith('/v1/') ? zodTransform(args) : { schema: { ...args.schema, hide: true }, url: args.url }),
      transformObject: zodTransformObject,
    });
    const hide = { schema: { hide: true } };
    app.get('/openapi.json', hide, () => openapiDocument(app.swagger()));
    app.get('/openapi.yaml', hide, (_request, reply) =>
      reply.type('application/yaml; charset=utf-8').send(openapiYaml(openapiDocument(app.swagger()))),
    );
    // A browsable reference, Swagger UI served from the installed package (pinned by the
    // lockfile): nothing loads from elsewhere, so it works offline and under a strict policy.
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      staticCSP: DOCS_CSP,
      transformSpecification: (spec) => openapiDocument(spec),
      validatorUrl: false,
      uiConfig: { deepLinking: true, tryItOutEnabled: false },
    });
  },
  { name: 'openapi' },
);

export const openapiYaml = (document: unknown): string => stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });

const refsIn = (value: unknown, found = new Set<string>()): Set<string> => {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, found));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.add(v.replace('#/components/schemas/', ''));
      else refsIn(v, found);
    }
  }
  return found;
};

/**
 * The published document: the generator lists every registered schema twice (as input and
 * output); only the components the operations reach, directly or through others, are kept.
 */
export function openapiDocument(generated: unknown): Record<string, unknown> {
  const doc = structuredClone(generated) as { paths?: unknown; components?: { schemas?: Record<string, unknown> } };
  const schemas = doc.components?.schemas ?? {};
  const keep = refsIn(doc.paths);
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of [...keep]) {
      for (const ref of refsIn(schemas[name])) {
        if (keep.has(ref)) continue;
        keep.add(ref);
        grew = true;
      }
    }
  }
  if (doc.components?.schemas) {
    // Sorted: the registry's order depends on which module loaded first.
    doc.components.schemas = Object.fromEntries(
      Object.entries(schemas)
        .filter(([name]) => keep.has(name))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  }
  return doc as Record<string, unknown>;
}
