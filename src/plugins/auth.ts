import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { AppError } from '../errors.js';
import { authenticateKey } from '../modules/api-keys/api-keys.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext | null;
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

/** Everything under /v1 and the GraphQL endpoint needs a key; health, docs and schema do not. */
export function needsAuth(url: string): boolean {
  const path = url.split('?', 1)[0] as string;
  return path.startsWith('/v1/') || path === '/v1' || path === '/graphql';
}

/** The caller of an authenticated route; a route that is public has none. */
export function requestContext(request: FastifyRequest): RequestContext {
  if (!request.ctx) throw new AppError('unauthorized', 'A valid API key is required.');
  return request.ctx;
}

export default fp(
  async (app) => {
    app.decorateRequest('ctx', null);
    // onRequest runs before the body is read: an unauthenticated upload is refused unread.
    app.addHook('onRequest', async (request, reply) => {
      if (!needsAuth(request.url)) return;
      const header = request.headers.authorization;
      const match = header ? BEARER.exec(header) : null;
      if (!match) {
        throw new AppError('unauthorized', 'Send an API key as `Authorization: Bearer <key>`.', {
          headers: { 'www-authenticate': 'Bearer realm="api"' },
        });
      }
      const caller = await authenticateKey(app.database.db, match[1] as string);
      // Every later line of this request, Fastify's own included, names the tenant and key.
      request.log = request.log.child({ tenantId: caller.tenantId, apiKeyId: caller.apiKey.id });
      reply.log = request.log;
      request.ctx = { ...caller, requestId: request.id, log: request.log };
    });
  },
  { name: 'auth', dependencies: ['database', 'errors'] },
);
