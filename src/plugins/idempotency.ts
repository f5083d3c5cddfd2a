import fp from 'fastify-plugin';
import { AppError } from '../errors.js';
import { requestContext } from './auth.js';
import { requestHash } from '../modules/idempotency/idempotency.service.js';

declare module 'fastify' {
  interface FastifyRequest {
    idempotencyKey: string | null;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;
// What a replay repeats besides the body; the rest of the headers are made anew.
const KEPT_HEADERS = ['content-type', 'location', 'etag'];

/** `Idempotency-Key` on every POST under /v1 (api.md), around the route, not inside it. */
export default fp(
  async (app) => {
    app.decorateRequest('idempotencyKey', null);

    app.addHook('preHandler', async (request, reply) => {
      const key = request.headers['idempotency-key'];
      if (request.method !== 'POST' || key === undefined || !request.url.startsWith('/v1/')) return;
      if (typeof key !== 'string' || !KEY.test(key)) {
        throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
          errors: [{ path: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' }],
        });
      }
      const ctx = requestContext(request);
      const path = request.url.split('?', 1)[0] as string;
      const hash = requestHash(request.method, request.url, request.body);
      const begun = await app.services.idempotency.begin(ctx, key, request.method, path, hash);
      if (begun.state === 'replay') {
        const { status, headers, body } = begun.response;
        return reply.code(status).headers(headers).header('idempotent-replayed', 'true').serializer((p: unknown) => p as string).send(body);
      }
      request.idempotencyKey = key;
    });

    app.addHook('onSend', async (request, reply, payload) => {
      const key = request.idempotencyKey;
      if (!key || !request.ctx) return payload;
      request.idempotencyKey = null;
      if (reply.statusCode >= 500) {
        await app.services.idempotency.release(request.ctx, key);
        return payload;
      }
      const headers = Object.fromEntries(
        KEPT_HEADERS.flatMap((name) => {
          const value = reply.getHeader(name);
          return value === undefined ? [] : [[name, String(value)]];
        }),
      );
      const body = typeof payload === 'string' ? payload : payload == null ? '' : String(payload);
      await app.services.idempotency.complete(request.ctx, key, { status: reply.statusCode, headers, body });
      return payload;
    });
  },
  { name: 'idempotency', dependencies: ['auth', 'services'] },
);
