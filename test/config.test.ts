import t from 'tap';
import { childEnv } from './helpers/child-env.js';
import { spawnSync } from 'node:child_process';
import { ConfigError, corsOrigins, graphiqlEnabled, loadConfig } from '../src/config.js';

t.test('defaults', async (t) => {
  const config = loadConfig({});
  t.match(config, { PORT: 3000, HOST: '127.0.0.1', DATA_DIR: '.data', DATABASE_POOL_MAX: 10, LOG_LEVEL: 'info', GRAPHQL_MAX_DEPTH: 15 });
  t.equal(config.DATABASE_URL, undefined);
  t.equal(graphiqlEnabled(config), true, 'GraphiQL on for the embedded engine');
  t.equal(graphiqlEnabled(loadConfig({ DATABASE_URL: 'postgres://u@h/db' })), false, 'off on a server');
  t.equal(graphiqlEnabled(loadConfig({ DATABASE_URL: 'postgres://u@h/db', GRAPHIQL: 'true' })), true);
  t.equal(corsOrigins(config), false);
  t.equal(corsOrigins(loadConfig({ CORS_ORIGINS: '*' })), '*');
  t.same(corsOrigins(loadConfig({ CORS_ORIGINS: 'https://a.edu, https://b.edu' })), ['https://a.edu', 'https://b.edu']);
});

t.test('values are parsed; an empty variable counts as unset', async (t) => {
  const config = loadConfig({ PORT: '8080', GRAPHIQL: '0', SEED_DEMO: 'false', DATABASE_POOL_MAX: '', LOG_LEVEL: 'debug' });
  t.match(config, { PORT: 8080, GRAPHIQL: false, SEED_DEMO: false, DATABASE_POOL_MAX: 10, LOG_LEVEL: 'debug' });
});

t.test('the hardening settings: defaults, values, and every bad one named', async (t) => {
  t.match(loadConfig({}), {
    RATE_LIMIT_PER_MINUTE: 1200,
    API_KEY_CACHE_MS: 10_000,
    AUTH_FAILURES_PER_MINUTE: 30,
    TRUST_PROXY: false,
    DATABASE_STATEMENT_TIMEOUT_MS: 30_000,
    DATABASE_LOCK_TIMEOUT_MS: 5000,
    DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS: 60_000,
    GRAPHQL_MAX_COST: 20_000,
    GRAPHQL_MAX_ALIASES: 30,
    GRAPHQL_MAX_BATCH: 10,
    GRAPHQL_MAX_QUERY_BYTES: 20_480,
    GRAPHQL_MAX_TOKENS: 5000,
    HOUSEKEEPING_INTERVAL_MS: 600_000,
    DATABASE_PREPARED_STATEMENTS: true,
    GRAPHQL_SQL_TREES: true,
    IMPORT_MAX_BYTES: 1024 ** 3,
    EVENT_RETENTION_DAYS: 30,
  });
  t.equal(loadConfig({ DATABASE_PREPARED_STATEMENTS: 'false' }).DATABASE_PREPARED_STATEMENTS, false);
  t.equal(loadConfig({ GRAPHQL_SQL_TREES: '0' }).GRAPHQL_SQL_TREES, false);
  t.same(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.1' }).TRUST_PROXY, ['10.0.0.0/8', '192.168.1.1']);
  t.equal(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY, true);
  t.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).REDIS_URL, 'redis://127.0.0.1:6379');
  const err = t.throws(() =>
    loadConfig({
      RATE_LIMIT_PER_MINUTE: '-5',
      AUTH_FAILURES_PER_MINUTE: 'many',
      REDIS_URL: 'http://user:s3cret@cache:6379',
      DATABASE_OWNER_URL: 'owner:s3cret@db',
      TRUST_PROXY: 'yes please',
      DATABASE_LOCK_TIMEOUT_MS: '1.5',
      GRAPHQL_MAX_COST: '0',
      GRAPHQL_MAX_BATCH: '',
      HOUSEKEEPING_INTERVAL_MS: '10',
      API_KEY_CACHE_MS: 'forever',
      DATABASE_PREPARED_STATEMENTS: 'pgbouncer',
      GRAPHQL_SQL_TREES: 'sometimes',
      IMPORT_MAX_BYTES: '10',
      EVENT_RETENTION_DAYS: '0',
    }),
  ) as ConfigError;
  const names = err.problems.map((p) => p.split(':')[0]).sort();
  t.same(names, ['API_KEY_CACHE_MS', 'AUTH_FAILURES_PER_MINUTE', 'DATABASE_LOCK_TIMEOUT_MS', 'DATABASE_OWNER_URL', 'DATABASE_PREPARED_STATEMENTS', 'EVENT_RETENTION_DAYS', 'GRAPHQL_MAX_COST', 'GRAPHQL_SQL_TREES', 'HOUSEKEEPING_INTERVAL_MS', 'IMPORT_MAX_BYTES', 'RATE_LIMIT_PER_MINUTE', 'REDIS_URL', 'TRUST_PROXY']);
  t.notMatch(err.message, /s3cret/, 'no URL is echoed');
});

t.test('every bad variable is listed in one error', async (t) => {
  const err = t.throws(() =>
    loadConfig({
      PORT: '99999',
      DATABASE_URL: 'mysql://root:hunter2@db/x',
      LOG_LEVEL: 'loud',
      GRAPHIQL: 'yes',
      DATABASE_POOL_MAX: '-1',
      BODY_LIMIT_BYTES: '1e6',
      SHUTDOWN_TIMEOUT_MS: 'soon',
    }),
  ) as ConfigError;
  t.type(err, ConfigError);
  const names = err.problems.map((p) => p.split(':')[0]).sort();
  t.same(names, ['BODY_LIMIT_BYTES', 'DATABASE_POOL_MAX', 'DATABASE_URL', 'GRAPHIQL', 'LOG_LEVEL', 'PORT', 'SHUTDOWN_TIMEOUT_MS']);
  t.match(err.message, /PORT: must be at most 65535 \(got "99999"\)/);
  t.notMatch(err.message, /hunter2/, 'a database URL is never echoed: it may hold a password');
});

t.test('the server refuses to start on bad configuration, listing every problem', async (t) => {
  const result = spawnSync(process.execPath, ['--import=tsx', 'src/server.ts'], {
    env: childEnv({ PORT: 'abc', LOG_LEVEL: 'chatty', DATABASE_URL: '' }),
    encoding: 'utf8',
    timeout: 60_000,
  });
  t.equal(result.status, 1);
  t.match(result.stderr, /Invalid configuration:\n {2}- PORT: .*\n {2}- LOG_LEVEL: /);
  t.equal(result.stdout, '');
});
