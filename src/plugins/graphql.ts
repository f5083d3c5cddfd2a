import { readFileSync } from 'node:fs';
import fp from 'fastify-plugin';
import mercurius, { type IResolvers } from 'mercurius';
import { GraphQLScalarType, printSchema } from 'graphql';
import { graphiqlEnabled, type Config } from '../config.js';
import type { RequestContext } from '../context.js';
import { errorFormatter } from '../graphql/error-formatter.js';
import { DateTime } from '../graphql/scalars.js';
import { tenantsResolvers } from '../modules/tenants/tenants.resolvers.js';

declare module 'mercurius' {
  interface MercuriusContext {
    /** Set by the auth hook: /graphql never runs without a key. */
    requestContext: RequestContext;
  }
}

const sdl = (path: string) => readFileSync(new URL(path, import.meta.url), 'utf8');

/** Base SDL first, then each module's, in the order modules are listed in app.ts. */
export const typeDefs = [sdl('../graphql/base.graphql'), sdl('../modules/tenants/tenants.graphql')];

/** Per type, the fields of every module's resolvers: modules each extend Query and Mutation. */
export function mergeResolvers(list: IResolvers[]): IResolvers {
  const merged: Record<string, unknown> = {};
  for (const resolvers of list) {
    for (const [type, fields] of Object.entries(resolvers)) {
      const isMap = typeof fields === 'object' && !(fields instanceof GraphQLScalarType);
      merged[type] = isMap ? { ...(merged[type] as object), ...fields } : fields;
    }
  }
  return merged as IResolvers;
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const resolvers = [tenantsResolvers(app.services.tenants)];
    await app.register(mercurius, {
      schema: typeDefs.join('\n'),
      resolvers: mergeResolvers([{ DateTime }, ...resolvers]),
      context: (request) => ({ requestContext: request.ctx as RequestContext }),
      graphiql: graphiqlEnabled(config),
      queryDepth: config.GRAPHQL_MAX_DEPTH,
      errorFormatter,
      path: '/graphql',
    });
    app.get('/schema.graphql', { schema: { hide: true } }, (_request, reply) =>
      reply.type('text/plain; charset=utf-8').send(printSchema(app.graphql.schema)),
    );
  },
  { name: 'graphql', dependencies: ['services'] },
);
