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
      /** Throws 429, before any key lookup, when the client's address has spent its failed authentications. */
      assertAuthAllowed(request: FastifyRequest, reply: FastifyReply): void;
      /** Counts a failed authentication of the client's address; throws 429 once it is over budget. */
      recordAuthFailure(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    };
  }
}

const WINDOW_MS = 60_000;
// Addresses refused without a lookup, remembered by this instance until their window ends.
const MAX_BLOCKED = 10_000;

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
    // The failure count lives in the store (shared through Redis); the verdict "this address is
    // over budget" is also kept here, so a good request never pays a store read for it and a
    // blocked address costs no lookup. Another instance learns it on that address's next failure.
    const blocked = new Map<string, { until: number; max: number }>();
    const addressOf = (request: FastifyRequest) => normalizeIP(request.ip);
    const refuse = (reply: FastifyReply, max: number, until: number) => {
      const seconds = Math.max(1, Math.ceil((until - Date.now()) / 1000));
      reply.header('ratelimit-limit', max).header('ratelimit-remaining', 0).header('ratelimit-reset', seconds);
      return tooMany('Too many failed authentications from this address; retry later.', seconds);
    };

    app.decorate('rateLimits', {
      async perKey(request: FastifyRequest, reply: FastifyReply) {
        if (perKeyLimit) await perKeyLimit.call(app, request, reply);
      },
      assertAuthAllowed(request: FastifyRequest, reply: FastifyReply) {
        const entry = blocked.size ? blocked.get(addressOf(request)) : undefined;
        if (!entry) return;
        if (entry.until <= Date.now()) blocked.delete(addressOf(request));
        else throw refuse(reply, entry.max, entry.until);
      },
      async recordAuthFailure(request: FastifyRequest, reply: FastifyReply) {
        if (!failures) return;
        const state = await failures(request);
        if (state.isAllowed || !state.max || (state.remaining ?? 1) > 0) return;
        const until = Date.now() + (state.ttl ?? WINDOW_MS);
        if (blocked.size >= MAX_BLOCKED) {
          for (const [address, entry] of blocked) if (entry.until <= Date.now() || blocked.size >= MAX_BLOCKED) blocked.delete(address);
        }
        blocked.set(addressOf(request), { until, max: state.max });
        if (state.isExceeded) throw refuse(reply, state.max, until);
      },
    });
  },
  { name: 'rate-limit' },
);
