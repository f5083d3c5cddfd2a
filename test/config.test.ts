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
