import type { IncomingMessage, ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import helmet, { type HelmetOptions } from 'helmet';
import { corsOrigins, type Config } from '../config.js';

/** What a browser client sends beyond the CORS-safelisted headers. */
export const CORS_ALLOWED_HEADERS = ['authorization', 'content-type', 'if-match', 'if-none-match', 'idempotency-key', 'prefer', 'x-request-id'];
/** What a browser client may read of an answer. */
export const CORS_EXPOSED_HEADERS = [
  'etag',
  'location',
  'x-request-id',
  'idempotent-replayed',
  'preference-applied',
  'retry-after',
  'ratelimit-limit',
  'ratelimit-remaining',
  'ratelimit-reset',
  'allow',
];

// The API serves JSON; the pages that serve HTML (/docs, GraphiQL) set their own policy.
const HELMET: HelmetOptions = { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false };

/**
 * The headers helmet sets with these options, asked of helmet once. They do not depend on the
 * request, so every answer gets the same object instead of a run of helmet's middleware (two
 * hooks and a dozen functions per request in @fastify/helmet).
 */
export function securityHeaders(options: HelmetOptions = HELMET): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (err?: unknown) => {
    if (err) throw err;
  });
  return headers;
}

/** Security headers everywhere; CORS only for the origins the operator lists. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const headers = securityHeaders();
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(headers);
      done();
    });
    const origins = corsOrigins(config);
    if (origins) {
      await app.register(cors, {
        origin: origins === '*' ? '*' : origins,
        methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
        allowedHeaders: CORS_ALLOWED_HEADERS,
        exposedHeaders: CORS_EXPOSED_HEADERS,
        maxAge: 600,
      });
    }
  },
  { name: 'security' },
);
