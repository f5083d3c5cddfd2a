import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import mercurius from 'mercurius';
import { printSchema, type GraphQLSchema } from 'graphql';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { RequestContext } from '../context.js';
import { AppError } from '../errors.js';
import { errorFormatter } from '../graphql/error-formatter.js';
import { checkCost, checkShape, checkSource, coerceVariables, type GraphqlLimits } from '../graphql/limits.js';
import { assertJsonDepth, assertStorableText } from './input-guard.js';
import { batchedResolvers } from '../graphql/loaders.js';
import { mergeResolvers } from '../graphql/merge.js';
import { DateScalar, DateTime, JsonScalar, UrlScalar, UuidScalar } from '../graphql/scalars.js';
import { modules, type ModuleDefinition } from '../modules/index.js';

declare module 'mercurius' {
  interface MercuriusContext {
    /** Set by the auth hook: /graphql never runs without a key. */
    requestContext: RequestContext;
    /** Per HTTP request (shared by the operations of a batch): what resolvers load once. */
    memo: Map<string, Promise<unknown>>;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The executable schema, printed as schema.graphql. */
    graphqlSchema: GraphQLSchema;
  }
}


interface GraphqlRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

const badRequest = (detail: string) => new AppError('bad_request', detail);

/** The shape of one GraphQL-over-HTTP request, before Mercurius reads it. */
function checkRequestShape(op: unknown): void {
  if (op === null || typeof op !== 'object' || Array.isArray(op)) throw badRequest('A GraphQL request is a JSON object with a `query`.');
  const { query, variables, operationName } = op as GraphqlRequestBody;
  if (typeof query !== 'string' || query.trim() === '') throw badRequest('A GraphQL request needs a `query`: a non-empty string.');
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    throw badRequest('`variables` is a JSON object.');
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') throw badRequest('`operationName` is a string.');
}

const withGraphql = (Object.values(modules) as ModuleDefinition[]).flatMap((m) => (m.graphql ? [m.graphql] : []));

/** Base SDL first, then each module's, in the order of the registry. */
export const typeDefs = [readFileSync(new URL('../graphql/base.graphql', import.meta.url), 'utf8'), ...withGraphql.map((g) => readFileSync(g.sdl, 'utf8'))];

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const limits: GraphqlLimits = {
      maxBytes: config.GRAPHQL_MAX_QUERY_BYTES,
      maxTokens: config.GRAPHQL_MAX_TOKENS,
      maxDepth: config.GRAPHQL_MAX_DEPTH,
      maxAliases: config.GRAPHQL_MAX_ALIASES,
      maxCost: config.GRAPHQL_MAX_COST,
    };
    const resolvers = withGraphql.map((g) => g.resolvers(app.services as never));
    // Relations: every module's loaders, batched per request (src/graphql/loaders.ts), a to-many
    // relation's whole selection read as one JSON tree where it can be (sql-relations.ts).
    const loaders = withGraphql.flatMap((g) => (g.loaders ? [g.loaders(app.services as never)] : []));
    const relations = [batchedResolvers(loaders, { sqlTrees: config.GRAPHQL_SQL_TREES })];

    // Its own scope: the key and the budget are hooks of the routes registered here.
    await app.register(async (scope) => {
      scope.addHook('onRequest', async (request, reply) => {
        await app.authenticate(request, reply);
        await app.rateLimits.perKey(request, reply);
      });
      // Refused before Mercurius reads the request (and its schema coerces `5` into "5"): a
      // batch too long, a request with no query.
      scope.addHook('preValidation', async (request: FastifyRequest) => {
        if (request.routeOptions.url !== '/graphql') return;
        if (request.method === 'POST') {
          const operations = Array.isArray(request.body) ? request.body : [request.body];
          if (operations.length === 0 || operations.length > config.GRAPHQL_MAX_BATCH) {
            throw new AppError('bad_request', `A batch holds 1 to ${config.GRAPHQL_MAX_BATCH} operations; this one has ${operations.length}.`);
          }
          operations.forEach(checkRequestShape);
          return;
        }
        const query = request.query as Record<string, unknown>;
        checkRequestShape({ query: query.query, operationName: query.operationName });
        if (typeof query.variables === 'string') guardVariablesText(query.variables);
      });
      scope.addHook('onSend', async (_request, reply) => {
        reply.header('cache-control', 'no-store');
      });

      await scope.register(mercurius, {
        schema: typeDefs.join('\n'),
        resolvers: mergeResolvers([{ DateTime, Date: DateScalar, JSON: JsonScalar, UUID: UuidScalar, URL: UrlScalar }, ...resolvers, ...relations]),
        context: (request) => ({ requestContext: request.ctx as RequestContext, memo: new Map() }),
        // Ours (src/plugins/graphiql.ts): Mercurius' own page loads React and GraphiQL from unpkg.
        graphiql: false,
        allowBatchedQueries: true,
        // A document seen before is compiled to JavaScript (graphql-jit) on its second run;
        // parsing and validation are cached by document (Mercurius' LRU, on by default).
        jit: 1,
        cache: true,
        errorFormatter,
        path: '/graphql',
      });
      // Size and syntax before parsing; depth and aliases before validation; cost once the
      // variables are known. All before any resolver runs.
      scope.graphql.addHook('preParsing', async (_schema, source) => checkSource(source, limits));
      scope.graphql.addHook('preValidation', async (_schema, document) => checkShape(document, limits));
      scope.graphql.addHook('preExecution', async (schema, document, _context, variables) => {
        checkCost(schema, document, coerceVariables(schema, document, variables as Record<string, unknown> | undefined), limits);
      });
      app.decorate('graphqlSchema', scope.graphql.schema);
    });

    app.get('/schema.graphql', { schema: { hide: true } }, (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send(printSchema(app.graphqlSchema)),
    );
  },
  { name: 'graphql', dependencies: ['services', 'auth', 'rate-limit'] },
);

/** `variables` of a GET, as the JSON body parser would check them. */
function guardVariablesText(text: string): void {
  assertJsonDepth(text, 'variables');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('`variables` is not valid JSON.');
  }
  assertStorableText(parsed, 'variables');
}
