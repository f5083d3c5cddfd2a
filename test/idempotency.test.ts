import t from 'tap';
import { count, eq, sql } from 'drizzle-orm';
import { idempotencyKeys, organizations } from '../src/db/schema/index.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';

// Volatile headers, made anew for every answer.
const VOLATILE = new Set(['date', 'x-request-id', 'idempotent-replayed', 'ratelimit-remaining', 'ratelimit-reset', 'connection', 'keep-alive']);
const stableHeaders = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([name]) => !VOLATILE.has(name)));

t.test('Idempotency-Key on POST', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const other = await tenantWithKey(database, 'Other');
  const post = (key: string, payload: unknown, auth = owner.auth, url = '/v1/organizations') =>
    app.inject({ method: 'POST', url, headers: { ...auth, 'idempotency-key': key }, payload: payload as object });
  const orgCount = async (name: string) =>
    Number((await database.db.select({ n: count() }).from(organizations).where(eq(organizations.name, name)))[0]!.n);

  t.test('a retry replays the first answer, every header of it', async (t) => {
    const first = await post('k-1', { name: 'Once Inc' });
    t.equal(first.statusCode, 201);
    t.equal(first.headers['idempotent-replayed'], undefined);
    const retry = await post('k-1', { name: 'Once Inc' });
    t.equal(retry.statusCode, 201);
    t.equal(retry.headers['idempotent-replayed'], 'true');
    t.equal(retry.body, first.body);
    t.same(stableHeaders(retry.headers), stableHeaders(first.headers), 'Location, ETag, Content-Type, Cache-Control, security headers');
    t.equal(retry.headers['cache-control'], 'no-store');
    t.not(retry.headers['x-request-id'], first.headers['x-request-id'], 'the request id is the retry’s own');
    t.equal(await orgCount('Once Inc'), 1);
  });

  t.test('the same key with another body is a 422', async (t) => {
    const res = await post('k-1', { name: 'Twice Inc' });
    t.equal(res.statusCode, 422);
    t.equal(res.json().code, 'idempotency_conflict');
    t.equal(await orgCount('Twice Inc'), 0);
  });

  t.test('keys are per API key: another key, even of the same tenant, makes a new request', async (t) => {
    const res = await post('k-1', { name: 'Once Inc' }, other.auth);
    t.equal(res.statusCode, 201);
    t.equal(res.headers['idempotent-replayed'], undefined);
    const sibling = { authorization: `Bearer ${await owner.mintKey(['read', 'write'])}` };
    const mine = await post('k-1', { name: 'Once Inc' }, sibling);
    t.equal(mine.statusCode, 201);
    t.equal(mine.headers['idempotent-replayed'], undefined, "never the other key's answer");
    t.equal(await orgCount('Once Inc'), 3);
  });

  t.test('a failure is not remembered: its retry runs; a malformed key is a 400', async (t) => {
    const bad = await post('k-bad', { name: '' });
    t.equal(bad.statusCode, 400);
    const fixed = await post('k-bad', { name: 'Fixed Ltd' });
    t.equal(fixed.statusCode, 201, 'the same key with the corrected body runs');
    t.equal(fixed.headers['idempotent-replayed'], undefined);
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
        (r.statusCode === 201 && r.headers['idempotent-replayed'] === 'true') || (r.statusCode === 409 && r.json().code === 'conflict' && r.headers['retry-after'] === '1'),
        'the others replay or are told it is still running',
      );
    }
    t.equal(await orgCount('Race Ltd'), 1);
    const after = await post('k-race', { name: 'Race Ltd' });
    t.equal(after.headers['idempotent-replayed'], 'true');
  });

  t.test('the write and its remembered answer commit together, or neither does', async (t) => {
    // A check that fails at COMMIT, after the write and the answer were both written.
    await database.db.execute(sql`create function refuse_at_commit() returns trigger language plpgsql as $$
      begin raise exception 'refused at commit'; end $$`);
    await database.db.execute(sql`create constraint trigger refuse_at_commit after insert on idempotency_keys
      deferrable initially deferred for each row execute function refuse_at_commit()`);
    const failed = await post('k-atomic', { name: 'Atomic Ltd' });
    t.equal(failed.statusCode, 500);
    t.equal(await orgCount('Atomic Ltd'), 0, 'no record without its answer');
    await database.db.execute(sql`drop trigger refuse_at_commit on idempotency_keys`);
    const retry = await post('k-atomic', { name: 'Atomic Ltd' });
    t.equal(retry.statusCode, 201);
    t.equal(retry.headers['idempotent-replayed'], undefined, 'the retry runs: nothing was remembered');
    t.equal((await post('k-atomic', { name: 'Atomic Ltd' })).headers['idempotent-replayed'], 'true');
    t.equal(await orgCount('Atomic Ltd'), 1, 'once, however many retries');
  });

  t.test('an expired key is forgotten, and swept whether or not it returns', async (t) => {
    await database.db.update(idempotencyKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(idempotencyKeys.key, 'k-1'));
    const res = await post('k-1', { name: 'Once Inc' });
    t.equal(res.statusCode, 201);
    t.equal(res.headers['idempotent-replayed'], undefined);
    t.equal(await orgCount('Once Inc'), 4, 'ran again');
    await database.db.update(idempotencyKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(idempotencyKeys.key, 'k-race'));
    const total = async () => Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n);
    const expired = async () => Number((await database.db.select({ n: count() }).from(idempotencyKeys).where(sql`expires_at < now()`))[0]!.n);
    // k-race, and k-1 of the two other keys (their answers expired with the owner's above).
    t.equal(await expired(), 3);
    const before = await total();
    t.same(await app.housekeeping(), { idempotencyKeysDeleted: 3, staleImportsFailed: 0, eventsPruned: 0, deliveriesPruned: 0 });
    t.equal(await total(), before - 3, 'only the expired ones, of every tenant');
    t.equal(await expired(), 0);
  });

  t.test('without the header nothing is stored', async (t) => {
    const before = Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n);
    await app.inject({ method: 'POST', url: '/v1/organizations', headers: owner.auth, payload: { name: 'Plain' } });
    t.equal(Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n), before);
  });

  t.test('only routes that opt in read the header: elsewhere it is ignored, even malformed', async (t) => {
    const created = await post('k-opt-in', { name: 'Opt In' });
    const before = Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n);
    for (const key of ['has space', 'k-opt-in']) {
      const patch = await app.inject({
        method: 'PATCH',
        url: `/v1/organizations/${created.json().id}`,
        headers: { ...owner.auth, 'idempotency-key': key },
        payload: { industry: `Industry ${key}` },
      });
      t.equal(patch.statusCode, 200, `PATCH with Idempotency-Key ${key}`);
      t.equal(patch.headers['idempotent-replayed'], undefined);
      t.equal(patch.json().industry, `Industry ${key}`);
    }
    t.equal(Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n), before, 'nothing remembered');
  });
});

t.test('a replay never skips authorization, nor hands out a secret', async (t) => {
  const { app, database } = await buildTestApp(t);
  const owner = await tenantWithKey(database);
  const readOnly = { authorization: `Bearer ${await owner.mintKey(['read'])}` };
  const otherAdmin = { authorization: `Bearer ${await owner.mintKey(['admin', 'read'])}` };
  const create = (auth: Record<string, string>) =>
    app.inject({ method: 'POST', url: '/v1/api-keys', headers: { ...auth, 'idempotency-key': 'new-key-1' }, payload: { name: 'sync', scopes: ['admin'] } });

  const first = await create(owner.auth);
  t.equal(first.statusCode, 201);
  const secret = first.json().secret as string;
  t.match(secret, /^iik_/);
  t.equal(first.headers['cache-control'], 'no-store');

  const stolen = await create(readOnly);
  t.equal(stolen.statusCode, 403, "a read-only key replaying an admin's request is refused by scope first");
  t.notMatch(stolen.body, secret);
  t.notMatch(stolen.body, first.json().id);

  const sibling = await create(otherAdmin);
  t.equal(sibling.statusCode, 201, "another admin key's request is its own");
  t.equal(sibling.headers['idempotent-replayed'], undefined);
  t.not(sibling.json().id, first.json().id);

  const replay = await create(owner.auth);
  t.equal(replay.statusCode, 201);
  t.equal(replay.headers['idempotent-replayed'], 'true');
  t.equal(replay.json().id, first.json().id);
  t.equal(replay.json().secret, undefined, 'the secret was shown once, and is kept nowhere');
  t.same(stableHeaders(replay.headers), { ...stableHeaders(first.headers), 'content-length': replay.headers['content-length'] }, 'the same headers');
  t.equal(replay.headers['cache-control'], 'no-store');

  const stored = await database.db.execute(sql`select response_body::text as body from idempotency_keys`);
  const bodies = (stored as unknown as { rows: { body: string }[] }).rows.map((r) => r.body).join('\n');
  t.notMatch(bodies, secret.slice(17), 'no secret in the table');
  t.notMatch(bodies, /"secret"/);
});

t.test('housekeeping runs by itself every HOUSEKEEPING_INTERVAL_MS', async (t) => {
  const { app, database } = await buildTestApp(t, { HOUSEKEEPING_INTERVAL_MS: '1000' });
  const owner = await tenantWithKey(database);
  await app.ready();
  await app.inject({ method: 'POST', url: '/v1/organizations', headers: { ...owner.auth, 'idempotency-key': 'soon-expired' }, payload: { name: 'Sweep Me' } });
  await database.db.update(idempotencyKeys).set({ expiresAt: new Date(Date.now() - 1000) });
  const remaining = async () => Number((await database.db.select({ n: count() }).from(idempotencyKeys))[0]!.n);
  t.equal(await remaining(), 1);
  for (let i = 0; i < 40 && (await remaining()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(await remaining(), 0, 'swept without its key coming back');
});
