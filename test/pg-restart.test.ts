import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';
import { PrivateCluster } from './helpers/private-cluster.js';

// Stops and starts a real PostgreSQL: only where allowed (`.ci/run` sets TEST_PG_RESTART=1).
t.test('the service survives a PostgreSQL restart', { skip: process.env.TEST_PG_RESTART !== '1' && 'set TEST_PG_RESTART=1' }, async (t) => {
  const cluster = new PrivateCluster(55_000 + (process.pid % 1000));
  t.teardown(() => cluster.destroy());
  cluster.init();
  cluster.start();

  const poolWarnings: string[] = [];
  const logger = { warn: (_obj: unknown, msg: string) => poolWarnings.push(msg), error: () => undefined };
  const database = await openDatabase({
    databaseUrl: cluster.url,
    dataDir: '',
    poolMax: 4,
    connectTimeoutMs: 1000,
    logger: logger as unknown as Parameters<typeof openDatabase>[0]['logger'],
  });
  t.teardown(() => database.close());
  await runMigrations(database);
  const { app } = await buildTestApp(t, {}, database);
  const { auth } = await tenantWithKey(database);
  const get = (url: string) => app.inject({ url, headers: auth });

  // Fill the pool with idle connections, so the restart hits clients nobody is using.
  await Promise.all([1, 2, 3, 4].map(() => get('/v1/tenant')));
  t.equal((await get('/v1/tenant')).statusCode, 200);

  cluster.stop();
  await sleep(200);

  const during = await get('/v1/tenant');
  t.equal(during.statusCode, 503);
  t.equal(during.headers['retry-after'], '5');
  t.match(during.json(), { code: 'unavailable', status: 503 });
  t.notMatch(during.body, /ECONNREFUSED|terminat|127\.0\.0\.1/, 'no internals');
  const gql = await app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: { query: '{ viewer { tenant { id } } }' } });
  t.equal(gql.statusCode, 503, 'GraphQL answers 503 too (authentication needs the database)');
  t.equal(gql.json().errors[0].extensions.code, 'SERVICE_UNAVAILABLE');
  t.equal(gql.headers['retry-after'], '5', 'GraphQL 503s say when to retry too');
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'alive while the database is away');
  t.ok(poolWarnings.includes('idle database connection lost'), 'idle clients’ errors were caught, not fatal');

  cluster.start();
  let status = 0;
  for (let attempt = 0; attempt < 40 && status !== 200; attempt++) {
    status = (await get('/v1/tenant')).statusCode;
    if (status !== 200) await sleep(250);
  }
  t.equal(status, 200, 'recovers by itself');
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
});
