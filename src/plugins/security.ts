import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { corsOrigins, type Config } from '../config.js';

/** Security headers everywhere; CORS only for the origins the operator lists. */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    // The API serves JSON; a CSP would only break the GraphiQL page, which loads its assets.
    await app.register(helmet, { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false });
    const origins = corsOrigins(config);
    if (origins) {
      await app.register(cors, {
        origin: origins === '*' ? '*' : origins,
        exposedHeaders: ['x-request-id', 'etag', 'location', 'idempotent-replayed', 'retry-after'],
        maxAge: 600,
      });
    }
  },
  { name: 'security' },
);
