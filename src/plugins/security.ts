import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
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

/** Security headers everywhere; CORS only for the origins the operator lists. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    // The API serves JSON; the pages that serve HTML (/docs, GraphiQL) set their own policy.
    await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
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
