import type { FastifyRequest, RouteOptions } from 'fastify';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { requestFingerprint, type IdempotencyRequest } from './idempotency.service.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route honours `Idempotency-Key`: its handler reads `request.idempotency` and passes it
     * to the service, which checks scope, then replays or records in the write's transaction.
     * Opt-in per route, because a streamed body (an import) cannot be fingerprinted up front.
     */
    idempotent?: boolean;
  }
  interface FastifyRequest {
    /** The `Idempotency-Key` and the fingerprint of the request, on idempotent routes that got one. */
    idempotency?: IdempotencyRequest;
  }
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The header as the routes that take it document it. */
export const idempotencyKeyHeader = z.string().optional().meta({
  description:
    'Makes a retry safe: the same API key, Idempotency-Key and body replay the first successful answer for 24 hours ' +
    '(`Idempotent-Replayed: true`); another body is a 422; a retry while the first still runs is a 409. Keys are ' +
    "per API key: another key's request with the same Idempotency-Key is a new request. A failure is not remembered.",
});

/** `Idempotency-Key` on a POST: documented here, read below. */
export const IdempotencyHeaders = z.looseObject({ 'idempotency-key': idempotencyKeyHeader });


/**
 * The `Idempotency-Key` of a POST, with the fingerprint of what it asks (method, route, body);
 * undefined without the header. A malformed key is a 400 before anything runs.
 */
export function idempotencyRequest(request: FastifyRequest): IdempotencyRequest | undefined {
  const key = idempotencyKeyOf(request);
  if (key === undefined) return undefined;
  // The route as registered, not the URL as sent: `/v1/peopl%65` is the same request as `/v1/people`.
  const route = request.routeOptions.url ?? request.url.split('?', 1)[0]!;
  return { key, fingerprint: requestFingerprint(request.method, route, request.body) };
}

/** The `Idempotency-Key` header, checked; undefined without one. (A streamed body fingerprints itself.) */
export function idempotencyKeyOf(request: FastifyRequest): string | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
      errors: [{ path: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  return key;
}

async function readIdempotencyKey(request: FastifyRequest): Promise<void> {
  request.idempotency = idempotencyRequest(request);
}

/**
 * An onRoute hook: a route registered with `config: { idempotent: true }` gets a preHandler that
 * reads its `Idempotency-Key` after authentication and validation (so the body is parsed and the
 * caller known); every other route pays nothing and ignores the header.
 */
export function idempotentRoutes(route: RouteOptions): void {
  if (!route.config?.idempotent) return;
  const given = route.preHandler;
  route.preHandler = given === undefined ? [readIdempotencyKey] : [...(Array.isArray(given) ? given : [given]), readIdempotencyKey];
}
