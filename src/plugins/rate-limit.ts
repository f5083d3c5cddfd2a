import fp from 'fastify-plugin';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

declare module 'fastify' {
  interface FastifyInstance {
    rateLimits: {
      /** onRequest hook, after authentication: RATE_LIMIT_PER_MINUTE per API key. */
      perKey(request: FastifyRequest, reply: FastifyReply): Promise<void>;
      /** Throws 429 when the client's address spent its failed authentications (no key lookup). */
      assertAuthAllowed(request: FastifyRequest, reply: FastifyReply): Promise<void>;
      /** Counts a failed authentication of the client's address. */
      recordAuthFailure(request: FastifyRequest): Promise<void>;
    };
  }
}

const WINDOW_MS = 60_000;

const tooMany = (detail: string, seconds: number) =>
  new AppError('rate_limited', detail, { headers: { 'retry-after': String(Math.max(1, seconds)) } });

/** A Redis client that fails fast when Redis is away, and says so once per outage. */
function redisClient(url: string, log: { warn(obj: object, msg: string): void; info(msg: string): void }): Redis {
  const redis = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000 });
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log.warn({ err: { message: err.message } }, 'rate-limit store (Redis) unreachable: requests are served without limits');
  });
  redis.on('ready', () => {
    if (down) log.info('rate-limit store (Redis) reachable again');
    down = false;
  });
  return redis;
}

/**
 * Request budgets with @fastify/rate-limit: in memory per instance, or in Redis (REDIS_URL) so
 * that every instance spends from one budget. When Redis is unreachable, requests are served
 * (a limiter outage must not become an API outage) and the outage is logged.
 */
export default fp<{ config: Config }>(
  async (app, { config }) => {
    const redis = config.REDIS_URL ? redisClient(config.REDIS_URL, app.log) : undefined;
    if (redis) app.addHook('onClose', async () => void (await redis.quit().catch(() => redis.disconnect())));

    await app.register(rateLimit, {
      global: false,
      redis,
      nameSpace: 'icrm-rate-limit:',
      skipOnError: true,
      // RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and Retry-After.
      enableDraftSpec: true,
      errorResponseBuilder: (_request, context) => tooMany(`Too many requests for this API key; retry in ${context.after}.`, Math.ceil(context.ttl / 1000)),
    });

    const perKeyLimit =
      config.RATE_LIMIT_PER_MINUTE > 0
        ? app.rateLimit({ max: config.RATE_LIMIT_PER_MINUTE, timeWindow: WINDOW_MS, keyGenerator: (request) => `key:${request.ctx?.apiKey.id}` })
        : null;

    const failures =
      config.AUTH_FAILURES_PER_MINUTE > 0
        ? app.createRateLimit({ max: config.AUTH_FAILURES_PER_MINUTE, timeWindow: WINDOW_MS, keyGenerator: (request) => `auth-failures:${normalizeIP(request.ip)}` })
        : null;

    app.decorate('rateLimits', {
      async perKey(request: FastifyRequest, reply: FastifyReply) {
        if (perKeyLimit) await perKeyLimit.call(app, request, reply);
      },
      async assertAuthAllowed(request: FastifyRequest, reply: FastifyReply) {
        if (!failures) return;
        const state = await failures(request, { increment: false });
        if (state.isAllowed || state.remaining === undefined || state.remaining > 0 || !state.max) return;
        reply.header('ratelimit-limit', state.max).header('ratelimit-remaining', 0).header('ratelimit-reset', state.ttlInSeconds);
        throw tooMany('Too many failed authentications from this address; retry later.', state.ttlInSeconds ?? 60);
      },
      async recordAuthFailure(request: FastifyRequest) {
        if (failures) await failures(request);
      },
    });
  },
  { name: 'rate-limit' },
);
