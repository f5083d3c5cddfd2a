import type { FastifyRequest } from 'fastify';
import { AppError } from '../../errors.js';
import { requestFingerprint, type IdempotencyRequest } from './idempotency.service.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` of a POST, with the fingerprint of what it asks (method, route, body);
 * undefined without the header. A malformed key is a 400 before anything runs.
 */
export function idempotencyRequest(request: FastifyRequest): IdempotencyRequest | undefined {
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', {
      errors: [{ path: 'headers.idempotency-key', message: 'must be 1 to 255 visible ASCII characters' }],
    });
  }
  // The route as registered, not the URL as sent: `/v1/peopl%65` is the same request as `/v1/people`.
  const route = request.routeOptions.url ?? request.url.split('?', 1)[0]!;
  return { key, fingerprint: requestFingerprint(request.method, route, request.body) };
}
