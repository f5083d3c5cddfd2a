import { randomUUID } from 'node:crypto';
import Fastify, { LogController } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import type { Database } from './db/client.js';
import { fromFastifyError } from './errors/from-fastify.js';
import { responseSerializerCompiler } from './http/serializer.js';
import { loggerOptions } from './logging.js';
import authPlugin from './plugins/auth.js';
import databasePlugin from './plugins/database.js';
import errorsPlugin, { clientErrorHandler, sendError } from './plugins/errors.js';
import graphiqlPlugin from './plugins/graphiql.js';
import graphqlPlugin from './plugins/graphql.js';
import housekeepingPlugin from './plugins/housekeeping.js';
import inputGuardPlugin, { guardQueryAndParams } from './plugins/input-guard.js';
import openapiPlugin from './plugins/openapi.js';
import rateLimitPlugin from './plugins/rate-limit.js';
import securityPlugin from './plugins/security.js';
import servicesPlugin from './plugins/services.js';
import webhookWorkerPlugin from './plugins/webhook-worker.js';
import { idempotentRoutes } from './modules/idempotency/idempotency.http.js';
import { modules, type ModuleDefinition } from './modules/index.js';
import { routeValidatorCompiler } from './modules/shared/validation.js';


export interface BuildOptions {
  /** An already opened database (tests, CLI); otherwise the config's engine is opened. */
  database?: Database;
  /** A pino destination stream (tests capture logs with it). */
  logStream?: NodeJS.WritableStream;
}

// A caller's request id is kept when it is a plain token; anything else gets a fresh UUID.
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export async function buildApp(config: Config, options: BuildOptions = {}) {
  const app = Fastify({
    logger: loggerOptions(config, options.logStream),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      // Probes every few seconds would drown the log.
      disableRequestLogging: (request) => request.url === '/healthz' || request.url === '/readyz',
    }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    keepAliveTimeout: config.KEEP_ALIVE_TIMEOUT_MS,
    // On close: stop accepting, answer 503 to newcomers on open sockets, let in-flight finish.
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // External IDs are up to 200 characters, percent-encoded up to three times that in a path.
    routerOptions: { maxParamLength: 1000 },
    // Behind a load balancer, the client's address (rate limits) is the one it forwards.
    trustProxy: config.TRUST_PROXY,
    // A path that cannot be decoded, headers over 16 KB: problems too, not Fastify's own shape.
    frameworkErrors: (err, request, reply) => sendError(request, reply, fromFastifyError(err)),
    clientErrorHandler,
  }).withTypeProvider<ZodTypeProvider>();

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id);
    done(null, payload);
  });

  // Infrastructure first, in dependency order; then the modules of the registry.
  await app.register(errorsPlugin);
  await app.register(databasePlugin, { config, database: options.database });
  await app.register(securityPlugin, { config });
  await app.register(inputGuardPlugin);
  await app.register(rateLimitPlugin, { config });
  await app.register(authPlugin, { config });
  await app.register(servicesPlugin, { config });
  await app.register(housekeepingPlugin, { config });
  await app.register(webhookWorkerPlugin, { config });
  await app.register(openapiPlugin);
  await app.register(graphqlPlugin, { config });
  await app.register(graphiqlPlugin, { config });

  const registry = Object.values(modules) as ModuleDefinition[];

  // Our routes validate with zod and serialize with a compiled serializer; Mercurius keeps Fastify's.
  await app.register(async (open) => {
    open.setValidatorCompiler(routeValidatorCompiler);
    open.setSerializerCompiler(responseSerializerCompiler);
    for (const m of registry) if (m.routes && m.public) await open.register(m.routes, { config });
  });

  // The API: every route registered in this scope needs a key and spends from its budget. The
  // hooks belong to the routes, wherever a URL's spelling (`/v1/tenan%74`) leads the router.
  await app.register(async (api) => {
    api.setValidatorCompiler(routeValidatorCompiler);
    api.setSerializerCompiler(responseSerializerCompiler);
    api.addHook('onRequest', app.authenticate);
    api.addHook('onRequest', app.rateLimits.perKey);
    api.addHook('preValidation', guardQueryAndParams);
    // `Idempotency-Key` is read only on routes that say `config: { idempotent: true }`.
    api.addHook('onRoute', idempotentRoutes);
    // Tenant data is never kept by a browser or a shared cache.
    api.addHook('onSend', (_request, reply, payload, done) => {
      reply.header('cache-control', 'no-store');
      done(null, payload);
    });
    for (const m of registry) if (m.routes && !m.public) await api.register(m.routes, { config });
  });
  return app;
}

export type App = Awaited<ReturnType<typeof buildApp>>;
