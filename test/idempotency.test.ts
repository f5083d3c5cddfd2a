import t from 'tap';
import { count, eq } from 'drizzle-orm';
import { idempotencyKeys, organizations } from '../src/db/schema/index.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

t.test('Idempotency-Key on POST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const post = (key: string, payload: unknown, auth = owner.auth) =>
    app.inject({ method: 'POST', url: '/v1/organizations', headers: { ...auth, 'idempotency-key': key }, payload: payload as object });
  const orgCount = async (name: string) =>
    Number((await database.db.select({ n: count() }).from(organizations).where(eq(organizations.name, name)))[0]!.n);

  t.test('a retry replays the first answer', async (t) => {
    const first = await post('k-1', { name: 'Once Inc' });
    t.equal(first.statusCode, 201);
    t.equal(first.headers['idempotent-replayed'], undefined);
    const retry = await post('k-1', { name: 'Once Inc' });
    t.equal(retry.statusCode, 201);
    t.equal(retry.headers['idempotent-replayed'], 'true');
    t.equal(retry.body, first.body);
    t.equal(retry.headers.location, first.headers.location);
    t.equal(retry.headers.etag, first.headers.etag);
    t.match(retry.headers['content-type'], /application\/json/);
    t.not(retry.headers['x-request-id'], first.headers['x-request-id'], 'the request id is the retry’s own');
    t.equal(await orgCount('Once Inc'), 1);
  });

  t.test('the same key with another body is a 422', async (t) => {
    const res = await post('k-1', { name: 'Twice Inc' });
    t.equal(res.statusCode, 422);
    t.equal(res.json().code, 'idempotency_conflict');
    t.equal(await orgCount('Twice Inc'), 0);
  });

  t.test('keys are per tenant', async (t) => {
    const res = await post('k-1', { name: 'Once Inc' }, other.auth);
    t.equal(res.statusCode, 201);
    t.equal(res.headers['idempotent-replayed'], undefined);
  });

  t.test('a validation failure is replayed too; a malformed key is a 400', async (t) => {
    const bad = await post('k-bad', { name: '' });
    t.equal(bad.statusCode, 400);
    const bad2 = await post('k-x', { name: 'ok' }, { ...owner.auth });
    t.equal(bad2.statusCode, 201);
    const malformed = await app.inject({ method: 'POST', url: '/v1/organizations', headers: { ...owner.auth, 'idempotency-key': 'has space' }, payload: { name: 'x' } });
    t.equal(malformed.statusCode, 400);
    t.match(malformed.json().errors, [{ path: 'headers.idempotency-key' }]);
    const long = await app.inject({ method: 'POST', url: '/v1/organizations', headers: { ...owner.auth, 'idempotency-key': 'k'.repeat(256) }, payload: { name: 'x' } });
    t.equal(long.statusCode, 400);
  });

  t.test('20 concurrent retries execute once', async (t) => {
    const results = await Promise.all(Array.from({ length: 20 }, () => post('k-race', { name: 'Race Ltd' })));
    const executed = results.filter((r) => r.statusCode === 201 && r.headers['idempotent-replayed'] === undefined);
    t.equal(executed.length, 1, 'exactly one ran');
    for (const r of results.filter((r) => r !== executed[0])) {
      t.ok(
        (r.statusCode === 201 && r.headers['idempotent-replayed'] === 'true') || (r.statusCode === 409 && r.json().code === 'conflict'),
        'the others replay or are told it is still running',
      );
    }
    t.equal(await orgCount('Race Ltd'), 1);
    const after = await post('k-race', { name: 'Race Ltd' });
    t.equal(after.headers['idempotent-replayed'], 'true');
  });

  t.test('an expired key is forgotten', async (t) => {
    await database.db.update(idempotencyKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(idempotencyKeys.key, 'k-1'));
    const res = await post('k-1', { name: 'Once Inc' });
    t.equal(res.statusCode, 201);
    t.equal(res.headers['idempotent-replayed'], undefined);
    t.equal(await orgCount('Once Inc'), 3, 'ran again (the other tenant’s counts too)');
  });

  t.test('without the header nothing is stored', async (t) => {
    const before = Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n);
    await app.inject({ method: 'POST', url: '/v1/organizations', headers: owner.auth, payload: { name: 'Plain' } });
    t.equal(Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n), before);
  });
});
