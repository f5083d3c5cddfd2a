import t from 'tap';
import { openDatabase } from '../src/db/client.js';
import { buildTestApp } from './helpers/app.js';
import { TEST_DATABASE_URL, createEmptyServerDatabase } from './helpers/database.js';

t.test('healthz and readyz on a migrated database', async (t) => {
  const { app } = await buildTestApp(t);
  const live = await app.inject({ url: '/healthz' });
  t.equal(live.statusCode, 200);
  t.same(live.json(), { status: 'ok' });
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ok' });
  t.ok(ready.headers['x-request-id']);
});

t.test('readyz is 503 until migrations are applied', async (t) => {
  const database = TEST_DATABASE_URL
    ? await openDatabase({ databaseUrl: await createEmptyServerDatabase(t), dataDir: '', poolMax: 2 })
    : await openDatabase({ dataDir: 'memory://' });
  t.teardown(() => database.close());
  const { app } = await buildTestApp(t, {}, database);
  const res = await app.inject({ url: '/readyz' });
  t.equal(res.statusCode, 503);
  t.match(res.json(), { status: 'unavailable', reason: /migrations applied: 0 of \d+/ });
  t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'still alive');
});
