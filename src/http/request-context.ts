import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../context.js';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth hook of the routes that need a key; null on public routes. */
    ctx: RequestContext | null;
  }
}

/** The caller of an authenticated route; a route that is public has none. */
export function requestContext(request: FastifyRequest): RequestContext {
  if (!request.ctx) throw new AppError('unauthorized', 'A valid API key is required.');
  return request.ctx;
}
