import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import '../http/request-context.js';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';
import { authenticateKey } from '../modules/api-keys/api-keys.service.js';

declare module 'fastify' {
  interface FastifyInstance {
    /**
     * The onRequest hook of every route that needs a key. It is added where those routes are
     * registered (the /v1 scope, the GraphQL scope), never by matching URLs: the router decodes
     * a path (`/graphq%6C` is `/graphql`), so a string comparison can be walked around.
     */
    authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void>;
  }
}

const BEARER = /^Bearer +(\S+) *$/i;

const unauthorized = (detail: string) =>
  new AppError('unauthorized', detail, { headers: { 'www-authenticate': 'Bearer realm="api"' } });

export default fp<{ config: Config }>(
  async (app, { config }) => {
    app.decorateRequest('ctx', null);

    // onRequest runs before the body is read: an unauthenticated upload is refused unread.
    app.decorate('authenticate', async function authenticate(request: FastifyRequest, reply: FastifyReply) {
      // An address that keeps failing is refused before its next guess costs a key lookup.
      app.rateLimits.assertAuthAllowed(request, reply);
      const header = request.headers.authorization;
      const match = header ? BEARER.exec(header) : null;
      try {
        if (!match) throw unauthorized('Send an API key as `Authorization: Bearer <key>`.');
        const caller = await authenticateKey(app.database.db, match[1] as string, { cacheMs: config.API_KEY_CACHE_MS });
        // Every later line of this request, Fastify's own included, names the tenant and key.
        // (The request's logger is its own child: binding on it costs less than another child.)
        (request.log as unknown as Logger).setBindings({ tenantId: caller.tenantId, apiKeyId: caller.apiKey.id });
        request.ctx = { ...caller, requestId: request.id, log: request.log };
      } catch (err) {
        if (err instanceof AppError && err.code === 'unauthorized') await app.rateLimits.recordAuthFailure(request, reply);
        throw err;
      }
    });
  },
  { name: 'auth', dependencies: ['database', 'errors', 'rate-limit'] },
);
