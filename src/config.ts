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

const postgresUrl = z
  .string()
  .trim()
  .refine((v) => /^postgres(ql)?:\/\/.+/.test(v) && URL.canParse(v), 'must be a postgres:// or postgresql:// URL');

export const Config = z.object({
  DATABASE_URL: postgresUrl.optional(),
  DATABASE_POOL_MAX: int(1, 1000).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 120_000).default(5000),
  DATA_DIR: z.string().trim().min(1, 'must not be empty').default('.data'),
  PORT: int(0, 65535).default(3000),
  HOST: z.string().trim().min(1, 'must not be empty').default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
    message: 'must be one of fatal, error, warn, info, debug, trace, silent',
  }).default('info'),
  GRAPHIQL: bool.optional(),
  CORS_ORIGINS: z.string().trim().default(''),
  BODY_LIMIT_BYTES: int(1024, 100 * 1024 * 1024).default(1024 * 1024),
  REQUEST_TIMEOUT_MS: int(1000, 3_600_000).default(60_000),
  KEEP_ALIVE_TIMEOUT_MS: int(1000, 600_000).default(72_000),
  SHUTDOWN_TIMEOUT_MS: int(100, 600_000).default(10_000),
  GRAPHQL_MAX_DEPTH: int(1, 100).default(15),
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
    const value = name === 'DATABASE_URL' ? '(hidden)' : JSON.stringify(known[name]);
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
