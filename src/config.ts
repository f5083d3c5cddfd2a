import { z } from 'zod';

// Environment variables are strings; these helpers turn them into typed values with
// messages an operator can act on.
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const bool = z
  .enum(['true', 'false', '1', '0'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1');

const redisUrl = z
  .string()
  .trim()
  .refine((v) => /^rediss?:\/\/.+/.test(v) && URL.canParse(v), 'must be a redis:// or rediss:// URL');

// Fastify's trustProxy: off, on (trust every hop), or the proxies' addresses and CIDRs.
const trustProxy = z
  .string()
  .trim()
  .regex(/^(true|false|[0-9A-Fa-f.:/]+(\s*,\s*[0-9A-Fa-f.:/]+)*)$/, 'must be true, false, or comma-separated proxy addresses')
  .transform((v): boolean | string[] => (v === 'true' || v === 'false' ? v === 'true' : v.split(',').map((a) => a.trim())));

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL');

export const Config = z.object({
  DATABASE_URL: postgresUrl.optional(),
  /** The tables' owner, for `npm run migrate` and the CLI, when the service connects as a role that owns nothing. */
  DATABASE_OWNER_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5000),
  DATABASE_STATEMENT_TIMEOUT_MS: int(0, 3_600_000).default(30_000),
  DATABASE_LOCK_TIMEOUT_MS: int(0, 3_600_000).default(5000),
  DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(0, 3_600_000).default(60_000),
  /** Reads in one round trip on server-side prepared statements; false behind PgBouncer in transaction mode. */
  DATABASE_PREPARED_STATEMENTS: bool.default(true),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('.data'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
  GRAPHIQL: bool.optional(),
  CORS_ORIGINS: z.string().trim().default(''),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  IMPORT_MAX_BYTES: int(1024, 64 * 1024 ** 3).default(1024 ** 3),
  REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  KEEP_ALIVE_TIMEOUT_MS: int(1000, 600_000).default(72_000),
  SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
  TRUST_PROXY: trustProxy.default(false),
  RATE_LIMIT_PER_MINUTE: int(0, 1_000_000).default(1200),
  API_KEY_CACHE_MS: int(0, 300_000).default(10_000),
  AUTH_FAILURES_PER_MINUTE: int(0, 1_000_000).default(30),
  REDIS_URL: redisUrl.optional(),
  GRAPHQL_SQL_TREES: bool.default(true),
  GRAPHQL_MAX_DEPTH: int(1, 100).default(15),
  GRAPHQL_MAX_COST: int(1, 10_000_000).default(20_000),
  GRAPHQL_MAX_ALIASES: int(0, 10_000).default(30),
  GRAPHQL_MAX_BATCH: int(1, 1000).default(10),
  GRAPHQL_MAX_QUERY_BYTES: int(100, 10 * 1024 * 1024).default(20 * 1024),
  GRAPHQL_MAX_TOKENS: int(10, 1_000_000).default(5000),
  HOUSEKEEPING_INTERVAL_MS: int(1000, 86_400_000).default(600_000),
  EVENT_RETENTION_DAYS: int(1, 3650).default(30),
  WEBHOOK_WORKER: bool.default(true),
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  WEBHOOK_TIMEOUT_MS: int(100, 60_000).default(10_000),
  WEBHOOK_POLL_MS: int(10, 60_000).default(1000),
  WEBHOOK_RETRY_BASE_MS: int(10, 3_600_000).default(10_000),
  WEBHOOK_RETRY_FOR_MS: int(1000, 7 * 86_400_000).default(86_400_000),
  WEBHOOK_CONCURRENCY: int(1, 100).default(4),
  SEED_DEMO: bool.default(true),
});
export type Config = z.output<typeof Config>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the known variables from env; every bad one is listed in one error. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= command`.
  const known = Object.fromEntries(
    Object.keys(Config.shape)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const parsed = Config.safeParse(known);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = String(issue.path[0]);
    // URLs carry passwords.
    const value = /_URL$/.test(name) ? '(hidden)' : JSON.stringify(known[name]);
    return `${name}: ${issue.message} (got ${value})`;
  });
  throw new ConfigError(problems);
}

/** GraphiQL defaults to on for the embedded engine (a local trial) and off on a server. */
export const graphiqlEnabled = (config: Config): boolean => config.GRAPHIQL ?? !config.DATABASE_URL;

export const corsOrigins = (config: Config): string[] | '*' | false => {
  if (config.CORS_ORIGINS === '') return false;
  if (config.CORS_ORIGINS === '*') return '*';
  return config.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean);
};
