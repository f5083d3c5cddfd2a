import tap from 'tap';
import pg from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/db/client.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';
import { TEST_DATABASE_URL, freshDatabase } from './helpers/database.js';
import { startServer } from './helpers/server-process.js';

// A database connection that dies while in use (a failover, a pooler restart, a DBA's
// pg_terminate_backend) must cost the request it served a 503, never the process. These need
// a PostgreSQL server: the embedded engine has no connection to lose.

const skip = !TEST_DATABASE_URL && 'needs a PostgreSQL server (TEST_DATABASE_URL)';
const APP = 'informational-interviews';

async function admin(url: string, t: { teardown(fn: () => unknown): void }): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  t.teardown(() => client.end().catch(() => undefined));
  return client;
}

/** The app's backend waiting on a lock, once it waits. */
async function waitingBackend(client: pg.Client): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await client.query<{ pid: number }>(
      `select pid from pg_stat_activity where datname = current_database() and application_name = $1 and wait_event_type = 'Lock'`,
      [APP],
    );
    if (rows[0]) return rows[0].pid;
    await sleep(25);
  }
  throw new Error('no backend of the app waits on the lock');
}

tap.test('killed connections: the process lives, the request answers 503, nothing is half-written', { skip }, async (t) => {
  const { url } = await freshDatabase(t);
  const database = await openDatabase({ databaseUrl: url!, dataDir: '', poolMax: 2 });
  t.teardown(() => database.close());
  const { apiKey } = await createTenant(database.db, { name: 'Faults' });
  const server = await startServer({ DATABASE_URL: url!, RATE_LIMIT_PER_MINUTE: '0' }, t);
  const headers = { authorization: `Bearer ${apiKey.secret}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, headers: res.headers, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const create = async (path: string, body: unknown) => {
    const res = await call('POST', path, body);
    t.equal(res.status, 201, `seed ${path}`);
    return res.body as { id: string };
  };
  const db = await admin(url!, t);

  await t.test('the backend of an in-flight transaction is killed', async (t) => {
    const person = await create('/v1/people', { fullName: 'Locked Person' });
    await db.query('begin');
    await db.query('select 1 from people where id = $1 for update', [person.id]);
    const patched = call('PATCH', `/v1/people/${person.id}`, { title: 'Waits on the lock' });
    const pid = await waitingBackend(db);
    await db.query('select pg_terminate_backend($1)', [pid]);
    const res = await patched;
    await db.query('rollback');
    t.equal(res.status, 503);
    t.equal(res.headers.get('retry-after'), '5');
    t.match(res.body, { code: 'unavailable', status: 503 });
    t.equal(server.child.exitCode, null, 'the process lives');
    const again = await call('PATCH', `/v1/people/${person.id}`, { title: 'Next time' });
    t.equal(again.status, 200, 'the next request is served');
    t.equal((again.body as { version: number }).version, 2, 'the killed write left nothing behind');
    t.match(server.stdout(), /database connection lost/, 'the lost connection was heard and logged');
  });

  await t.test('ten seconds of writes with a kill every 250 ms', async (t) => {
    const professional = await create('/v1/people', { fullName: 'Pat Professional', roles: ['professional'] });
    const students = await Promise.all(Array.from({ length: 4 }, (_, i) => create('/v1/people', { fullName: `Student ${i}`, roles: ['student'] })));
    const contacts = await Promise.all(Array.from({ length: 40 }, (_, i) => create('/v1/people', { fullName: `Contact ${i}` })));
    const strategies = await Promise.all(
      students.map(async (s) => [await create('/v1/career-strategies', { personId: s.id, status: 'active' }), await create('/v1/career-strategies', { personId: s.id })]),
    );

    const statuses = new Map<number, number>();
    const problems: string[] = [];
    const record = (res: { status: number; headers: Headers; body: unknown }, what: string) => {
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 503 && !res.headers.get('retry-after')) problems.push(`${what}: 503 without Retry-After`);
      if (![200, 201, 503].includes(res.status)) problems.push(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    const deadline = Date.now() + 10_000;
    let kills = 0;
    const killer = (async () => {
      while (Date.now() < deadline) {
        await sleep(250);
        const { rows } = await db.query(
          'select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and application_name = $1',
          [APP],
        );
        kills += rows.length;
      }
    })();
    const worker = async (w: number) => {
      const student = students[w]!;
      const [first, second] = strategies[w]!;
      for (let n = 0; Date.now() < deadline; n++) {
        // An interview whose referrals make relationships: both or neither.
        const referrals = [contacts[(w * 10 + n) % 40]!, contacts[(w * 10 + n + 7) % 40]!].map((c) => ({ personId: c.id }));
        record(await call('POST', '/v1/interviews', { requesterId: student.id, intervieweeId: professional.id, status: 'completed', referrals }), 'interview');
        // A strategy change and its revision; an activation that archives the other, with its revision.
        record(await call('PATCH', `/v1/career-strategies/${first!.id}`, { title: `plan ${n}` }), 'strategy title');
        record(await call('PATCH', `/v1/career-strategies/${n % 2 ? first!.id : second!.id}`, { status: 'active' }), 'activation');
      }
    };
    await Promise.all([killer, ...students.map((_, w) => worker(w))]);

    t.same(problems, [], 'every answer was a success or a 503 with Retry-After');
    t.ok((statuses.get(503) ?? 0) > 0, `the kills were felt: ${JSON.stringify(Object.fromEntries(statuses))}, ${kills} backends killed`);
    t.ok((statuses.get(201) ?? 0) + (statuses.get(200) ?? 0) > 20, 'and work got done');
    t.equal(server.child.exitCode, null, 'the process lives');
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await call('GET', '/v1/tenant')).status;
      if (status !== 200) await sleep(100);
    }
    t.equal(status, 200, 'and serves');

    const orphanReferrals = await db.query(`
      select count(*)::int as n from interview_referrals r
      join interviews i on i.tenant_id = r.tenant_id and i.id = r.interview_id
      left join relationships rel on rel.tenant_id = i.tenant_id and rel.person_id = i.requester_id and rel.contact_id = r.person_id
      where rel.id is null`);
    t.equal(orphanReferrals.rows[0].n, 0, 'no interview without its referral relationships');
    const unrevised = await db.query(`
      select count(*)::int as n from career_strategies s
      where s.version - 1 <> (select count(*) from career_strategy_revisions v where v.tenant_id = s.tenant_id and v.strategy_id = s.id)`);
    t.equal(unrevised.rows[0].n, 0, 'no strategy change without its revision');
    const activeTwice = await db.query(`select count(*)::int as n from (select person_id from career_strategies where status = 'active' group by person_id having count(*) > 1) x`);
    t.equal(activeTwice.rows[0].n, 0, 'at most one active strategy per person');
  });

  await t.test('connecting as a superuser is warned about at start', async (t) => {
    t.match(server.stdout(), /superuser or a role with BYPASSRLS/);
  });
});

/** An app on its own database (opened with `options`), and a person whose row `admin` holds locked. */
async function lockedPerson(t: { teardown(fn: () => unknown): void }, options: Partial<Parameters<typeof openDatabase>[0]>) {
  const { url } = await freshDatabase(t);
  const database = await openDatabase({ databaseUrl: url!, dataDir: '', poolMax: 2, ...options });
  t.teardown(() => database.close());
  const { app } = await buildTestApp(t, {}, database);
  const owner = await tenantWithKey(database);
  const person = (await app.inject({ method: 'POST', url: '/v1/people', headers: owner.auth, payload: { fullName: 'Held' } })).json() as { id: string };
  const db = await admin(url!, t);
  await db.query('begin');
  await db.query('select 1 from people where id = $1 for update', [person.id]);
  const patch = () => app.inject({ method: 'PATCH', url: `/v1/people/${person.id}`, headers: owner.auth, payload: { title: 'x' } });
  return { app, owner, db, patch };
}

tap.test('a lock wait is bounded by DATABASE_LOCK_TIMEOUT_MS: 503 with Retry-After', { skip }, async (t) => {
  const { db, patch } = await lockedPerson(t, { lockTimeoutMs: 300 });
  const started = Date.now();
  const res = await patch();
  const waited = Date.now() - started;
  await db.query('rollback');
  t.equal(res.statusCode, 503);
  t.equal(res.headers['retry-after'], '1');
  t.ok(waited < 3000, `gave up after ${waited} ms, not at the lock's release`);
});

tap.test('readiness: a busy pool is still ready; the database gone is not', { skip }, async (t) => {
  const { app, owner, db, patch } = await lockedPerson(t, { poolMax: 1, connectTimeoutMs: 300 });
  // The pool's one connection now waits on the lock.
  const held = patch();
  await waitingBackend(db);
  const busy = await app.inject({ url: '/v1/tenant', headers: owner.auth });
  t.equal(busy.statusCode, 503, 'a request finds no free connection');
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200, 'but the instance is ready: the database answers');
  await db.query('rollback');
  t.equal((await held).statusCode, 200);
});
