import tap from 'tap';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { runCli } from '../src/cli/cli.js';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { buildTestApp } from './helpers/app.js';
import { TEST_DATABASE_URL } from './helpers/database.js';

// The deployment README's "Security model" recommends: migrations and the CLI as the tables'
// owner (not a superuser), the service as a login role that owns nothing. Row-level security is
// FORCEd, so it binds the owner too, and even a statement that leaves the restricted role
// (RESET ROLE) sees one tenant or none.

const skip = !TEST_DATABASE_URL && 'needs a PostgreSQL server (TEST_DATABASE_URL)';
const as = (role: string, database: string) => {
  const url = new URL(TEST_DATABASE_URL!);
  url.username = role;
  url.password = 'pw';
  url.pathname = `/${database}`;
  return url.toString();
};

tap.test('an owner that is no superuser migrates and runs the CLI; the service runs as a role that owns nothing', { skip }, async (t) => {
  const suffix = randomBytes(4).toString('hex');
  const owner = `icrm_owner_${suffix}`;
  const service = `icrm_service_${suffix}`;
  const dbName = `icrm_roles_${suffix}`;
  const su = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await su.connect();
  t.teardown(async () => {
    await su.query(`drop database if exists ${dbName} with (force)`);
    await su.query(`drop role if exists ${service}`);
    await su.query(`drop role if exists ${owner}`);
    await su.end();
  });
  await su.query(`create role ${owner} login password 'pw' nosuperuser createrole`);
  await su.query(`create role ${service} login password 'pw' nosuperuser nocreaterole`);
  await su.query(`create database ${dbName} owner ${owner}`);

  // Migrations, as the owner.
  const ownerDb = await openDatabase({ databaseUrl: as(owner, dbName), dataDir: '', poolMax: 2 });
  t.teardown(() => ownerDb.close());
  await runMigrations(ownerDb);
  await su.query(`grant icrm_app to ${service}`);

  // The CLI, as the owner: RLS binds it too, so every command names its tenant.
  const cli = async (...argv: string[]) => {
    let stdout = '';
    let stderr = '';
    const code = await runCli([...argv, '--json'], { env: { DATABASE_OWNER_URL: as(owner, dbName), DATABASE_URL: as(service, dbName) }, stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
    return { code, json: stdout ? JSON.parse(stdout) : null, stderr };
  };
  const a = await cli('tenants', 'create', '--name', 'Center A');
  t.equal(a.code, 0, a.stderr);
  const b = await cli('tenants', 'create', '--name', 'Center A');
  t.equal(b.code, 0, b.stderr);
  t.match(b.json.tenant.slug, /^center-a-[0-9a-f]{6}$/, "another tenant's slug is found by the unique index, not by reading it");
  const extra = await cli('keys', 'create', '--tenant', a.json.tenant.id, '--scopes', 'read');
  t.equal(extra.code, 0, extra.stderr);
  const revoked = await cli('keys', 'revoke', extra.json.apiKey.id);
  t.equal(revoked.code, 0, revoked.stderr);

  // The service, as the role that owns nothing.
  const serviceDb = await openDatabase({ databaseUrl: as(service, dbName), dataDir: '', poolMax: 3 });
  t.teardown(() => serviceDb.close());
  const { app, logs } = await buildTestApp(t, { WEBHOOK_WORKER: 'true' }, serviceDb);
  const auth = (key: string) => ({ authorization: `Bearer ${key}` });
  const keyA = a.json.apiKey.secret as string;
  const keyB = b.json.apiKey.secret as string;

  await t.test('the service works as that role', async (t) => {
    t.equal((await app.inject({ url: '/readyz' })).statusCode, 200, 'readiness reads the migrations journal');
    t.equal((await app.inject({ url: '/v1/tenant', headers: auth(keyA) })).json().name, 'Center A');
    t.equal((await app.inject({ url: '/v1/tenant', headers: auth(extra.json.apiKey.secret) })).statusCode, 401, 'the revoked key');
    const ana = await app.inject({ method: 'POST', url: '/v1/people', headers: auth(keyA), payload: { fullName: 'Ana' } });
    const ben = await app.inject({ method: 'POST', url: '/v1/people', headers: auth(keyA), payload: { fullName: 'Ben' } });
    const cy = await app.inject({ method: 'POST', url: '/v1/people', headers: auth(keyA), payload: { fullName: 'Cy' } });
    const interview = await app.inject({
      method: 'POST',
      url: '/v1/interviews',
      headers: { ...auth(keyA), 'idempotency-key': 'once' },
      payload: { requesterId: ana.json().id, intervieweeId: ben.json().id, referrals: [{ personId: cy.json().id }] },
    });
    t.equal(interview.statusCode, 201);
    await app.inject({ method: 'POST', url: '/v1/people', headers: auth(keyB), payload: { fullName: 'Bea' } });
    t.same((await app.inject({ url: '/v1/people', headers: auth(keyB) })).json().data.map((p: { fullName: string }) => p.fullName), ['Bea']);
    const suHere = new pg.Client({ connectionString: Object.assign(new URL(TEST_DATABASE_URL!), { pathname: `/${dbName}` }).toString() });
    await suHere.connect();
    await suHere.query(`update idempotency_keys set expires_at = now() - interval '1 second'`);
    // Running imports of both tenants: two whose server died (heartbeat 2 minutes old), one alive, one long finished.
    await suHere.query(
      `insert into import_jobs (tenant_id, entity, format, status, heartbeat_at, finished_at) values
        ($1, 'people', 'ndjson', 'running', now() - interval '2 minutes', null), ($2, 'people', 'csv', 'running', now() - interval '2 minutes', null),
        ($1, 'organizations', 'ndjson', 'running', now(), null), ($2, 'organizations', 'ndjson', 'succeeded', now() - interval '1 day', now() - interval '1 day')`,
      [a.json.tenant.id, b.json.tenant.id],
    );
    // Both tenants' change feeds, aged past retention.
    const events = (await suHere.query(`select count(*)::int as n from events`)).rows[0].n as number;
    t.ok(events > 70, `${events} events of both tenants`);
    await suHere.query(`update event_commits set committed_at = now() - interval '31 days'`);
    t.same(await app.housekeeping(), { idempotencyKeysDeleted: 1, staleImportsFailed: 2, eventsPruned: events, deliveriesPruned: 0 }, 'the sweeps reach across tenants');
    t.same((await suHere.query(`select count(*)::int as n from event_heads where pruned_position > 0`)).rows, [{ n: 2 }], "each tenant's feed remembers how far it was pruned");
    const jobs = await suHere.query(`select entity, status, finished_at is not null as finished from import_jobs order by tenant_id = $1 desc, entity`, [a.json.tenant.id]);
    t.same(
      jobs.rows,
      [
        { entity: 'organizations', status: 'running', finished: false },
        { entity: 'people', status: 'failed', finished: true },
        { entity: 'organizations', status: 'succeeded', finished: true },
        { entity: 'people', status: 'failed', finished: true },
      ],
      'only the stale running ones failed',
    );
    await suHere.end();
    t.same(await app.housekeeping(), { idempotencyKeysDeleted: 0, staleImportsFailed: 0, eventsPruned: 0, deliveriesPruned: 0 }, 'a second round finds nothing');
    t.notOk(logs.some((l) => l.component === 'webhook-worker'), 'the webhook worker looks for work as this role without a complaint');
    const outside = new pg.Client({ connectionString: as(service, dbName) });
    await outside.connect();
    t.same((await outside.query(`select count(*)::int as n from import_jobs`)).rows, [{ n: 0 }], 'outside the function the service role sees no job of any tenant');
    await t.rejects(outside.query(`update import_jobs set status = 'failed'`).then((r) => (r.rowCount ? Promise.resolve() : Promise.reject(new Error('none')))), /none/, 'nor fails one');
    await outside.end();
    t.notOk(logs.some((l) => /superuser/.test(String(l.msg))), 'no superuser warning');
  });

  await t.test('RESET ROLE does not leave row-level security', async (t) => {
    const raw = new pg.Client({ connectionString: as(service, dbName) });
    await raw.connect();
    t.teardown(() => raw.end());
    await raw.query('begin');
    await raw.query(`select set_config('app.tenant_id', $1, true), set_config('role', 'icrm_app', true)`, [a.json.tenant.id]);
    await raw.query('reset role');
    const { rows } = await raw.query('select full_name from people order by full_name');
    t.same(rows.map((r) => r.full_name), ['Ana', 'Ben', 'Cy'], "still only A's people");
    await raw.query('rollback');
    t.equal((await raw.query('select count(*)::int as n from people')).rows[0].n, 0, 'with no tenant set, no rows');
    t.equal((await raw.query('select count(*)::int as n from api_keys')).rows[0].n, 0, 'no key rows');
    const prefix = keyA.slice(0, 16);
    t.equal((await raw.query('select count(*)::int as n from icrm_find_api_key($1)', [prefix])).rows[0].n, 1, 'a key named by its prefix, alone');

    const asOwner = new pg.Client({ connectionString: as(owner, dbName) });
    await asOwner.connect();
    t.teardown(() => asOwner.end());
    t.equal((await asOwner.query('select count(*)::int as n from people')).rows[0].n, 0, 'FORCE: the owner is bound too');
    const forced = await asOwner.query(`select count(*)::int as n from pg_class where relname in ('people', 'api_keys', 'tenants', 'idempotency_keys') and relforcerowsecurity`);
    t.equal(forced.rows[0].n, 4);
  });
});
