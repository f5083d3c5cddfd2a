import tap from 'tap';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf, type Database } from '../src/db/client.js';
import { withTenant, withTenantRead, withTenantReadParts } from '../src/db/tenant-transaction.js';
import { people } from '../src/db/schema/index.js';
import { createPeopleService } from '../src/modules/people/people.service.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { freshDatabase, TEST_DATABASE_URL } from './helpers/database.js';
import type { RequestContext } from '../src/context.js';

// The tenant transaction on a PostgreSQL server: reads in one message on prepared statements
// (DATABASE_PREPARED_STATEMENTS, on by default) or the ordinary way, and a connection that is
// always given back. The embedded engine has neither a pool nor a message to save.

const skip = !TEST_DATABASE_URL && 'needs a PostgreSQL server (TEST_DATABASE_URL)';

const open = async (t: { teardown(fn: () => unknown): void }, url: string, preparedStatements: boolean): Promise<Database> => {
  const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 1, connectTimeoutMs: 1000, preparedStatements });
  t.teardown(() => database.close());
  return database;
};
/** The message of what a promise failed with (Drizzle's wrapper: its cause), or 'resolved'. */
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (err: Error & { cause?: Error }) => (err.cause ?? err).message,
  );
const preparedCount = async (database: Database, tenantId: string) =>
  withTenantRead(database.db, tenantId, async (tx) => Number(rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from pg_prepared_statements`))[0]!.n));

tap.test('reads, with prepared statements on and off', { skip }, async (t) => {
  const { url } = await freshDatabase(t);
  const setup = await open(t, url!, false);
  const { tenant } = await createTenant(setup.db, { name: 'Reads' });
  const other = await createTenant(setup.db, { name: 'Other' });
  // External IDs a literal must carry exactly: quotes, backslashes, array syntax, an attempt.
  const odd = ["o'brien", 'back\\slash', 'a,b{c}"d"', "x'); delete from people; --", 'ünïcödé ✓', 'E\'\\x41\''];
  await setup.db.insert(people).values(odd.map((externalId, i) => ({ tenantId: tenant.id, externalId, fullName: `Odd ${i}` })));
  await setup.db.insert(people).values({ tenantId: other.tenant.id, externalId: "o'brien", fullName: 'Elsewhere' });

  for (const prepared of [true, false]) {
    await t.test(`prepared statements ${prepared ? 'on' : 'off'}`, async (t) => {
      const database = await open(t, url!, prepared);
      const service = createPeopleService(database.db);
      const ctx = { tenantId: tenant.id, apiKey: { id: 'k', name: 'k', scopes: ['read'] } } as unknown as RequestContext;

      const found = await service.getManyByExternalIds(ctx, [...odd, 'missing']);
      t.same(
        found.map((p) => p?.fullName ?? null),
        [...odd.map((_, i) => `Odd ${i}`), null],
        'every odd external ID found as itself, in order, and only in its tenant',
      );
      for (let i = 0; i < 3; i++) {
        const page = await service.list(ctx, { limit: '2', externalId: odd[i + 1] });
        t.same(page.data.map((p) => p.externalId), [odd[i + 1]], `a list filtered by ${odd[i + 1]}`);
      }
      const byId = await service.get(ctx, found[0]!.id);
      t.equal(byId.externalId, "o'brien");
      t.equal(await service.getManyByIds(ctx, [found[1]!.id]).then((r) => r[0]?.externalId), 'back\\slash');
      t.equal(
        (await setup.db.select().from(people)).length,
        odd.length + 1,
        'nothing a literal carried was run',
      );
      const count = await preparedCount(database, tenant.id);
      if (prepared) t.ok(count >= 3, `the connection keeps its statements (${count})`);
      else t.equal(count, 0, 'no statement is prepared on the server');
    });
  }

  await t.test('a failed statement leaves the connection usable, and its transaction ended', async (t) => {
    const database = await open(t, url!, true);
    await t.rejects(
      withTenantRead(database.db, tenant.id, (tx) => tx.execute(sql`select 1 / (count(*) - count(*)) from people`)),
      { cause: { message: /division by zero/ } },
    );
    t.equal(await preparedCount(database, tenant.id), 1, 'a new connection: the statement whose PREPARE failed is not assumed to exist');
    const rows = await withTenantRead(database.db, tenant.id, async (tx) => rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from people`)));
    t.equal(rows[0]!.n, odd.length, 'the next read runs, in its tenant');
  });

  await t.test('past 200 statement shapes, a connection prepares no more, and still answers', async (t) => {
    const database = await open(t, url!, true);
    const answers = await withTenantRead(database.db, tenant.id, async (tx) => {
      const out: number[] = [];
      for (let i = 0; i < 230; i++) out.push(Number(rowsOf<{ v: number }>(await tx.execute(sql.raw(`select ${i}::int as v`)))[0]!.v));
      return out;
    });
    t.same(answers, Array.from({ length: 230 }, (_, i) => i));
    t.ok((await preparedCount(database, tenant.id)) <= 201, 'at most 200 kept (and the count itself)');
  });

  await t.test('a read declared as one statement that makes two is refused', async (t) => {
    const database = await open(t, url!, true);
    const two = withTenantRead(
      database.db,
      tenant.id,
      async (tx) => {
        await tx.execute(sql`select 1`);
        await tx.execute(sql`select 2`);
      },
      { oneStatement: true },
    );
    await t.rejects(two, { cause: { message: /declared as one statement made a second/ } });
    t.equal(await preparedCount(database, tenant.id), 2, 'and the connection serves on');
  });
});

tap.test('a transaction whose BEGIN fails gives its connection back', { skip }, async (t) => {
  // A role that may log in but not become icrm_app: every tenant transaction fails at BEGIN.
  // With one connection in the pool, a connection kept after the first failure would make
  // the next call wait for a connection and time out.
  const { url } = await freshDatabase(t);
  const role = `icrm_nomember_${randomBytes(4).toString('hex')}`;
  const su = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await su.connect();
  t.teardown(async () => {
    await su.query(`drop role if exists ${role}`);
    await su.end();
  });
  await su.query(`create role ${role} login password 'pw'`);
  const asRole = Object.assign(new URL(url!), { username: role, password: 'pw' }).toString();
  const tenantId = '00000000-0000-4000-8000-000000000001';
  for (const prepared of [true, false]) {
    const database = await open(t, asRole, prepared);
    for (let i = 1; i <= 3; i++) {
      t.match(await failure(withTenant(database.db, tenantId, async () => 1)), /permission denied to set role/, `write ${i}, prepared ${prepared}`);
      t.match(await failure(withTenantRead(database.db, tenantId, (tx) => tx.execute(sql`select 1`))), /permission denied to set role/, `read ${i}, prepared ${prepared}`);
    }
  }
});

tap.test('withTenantReadParts: parts at once on their own connections, in one snapshot and one tenant', async (t) => {
  const { database, url } = await freshDatabase(t);
  const { tenant } = await createTenant(database.db, { name: 'Parts', questionBank: false });
  const other = await createTenant(database.db, { name: 'Other parts', questionBank: false });
  await database.db.insert(people).values([{ tenantId: tenant.id, fullName: 'Mine' }, { tenantId: other.tenant.id, fullName: 'Theirs' }]);
  const facts = sql`select pg_backend_pid() as pid, pg_current_snapshot()::text as snapshot, current_user as who,
    current_setting('app.tenant_id') as tenant, (select count(*)::int from people) as visible`;
  type Facts = { pid: number; snapshot: string; who: string; tenant: string; visible: number };
  const part = async (tx: Parameters<Parameters<typeof withTenantReadParts>[2][number]>[0]) => rowsOf<Facts>(await tx.execute(facts))[0]!;
  const [a, b] = await withTenantReadParts(database.db, tenant.id, [part, part]);
  for (const f of [a!, b!]) t.match(f, { who: 'icrm_app', tenant: tenant.id, visible: 1 }, 'each part: the restricted role, the tenant, its one person');
  if (TEST_DATABASE_URL) {
    t.not(a!.pid, b!.pid, 'two connections');
    t.equal(a!.snapshot.split(':').slice(0, 2).join(':'), b!.snapshot.split(':').slice(0, 2).join(':'), 'one snapshot (the same xmin and xmax)');
    // A write committed between the two imports' parts is seen by neither.
    const seen = await withTenantReadParts(database.db, tenant.id, [
      async (tx) => {
        await database.db.insert(people).values({ tenantId: tenant.id, fullName: 'Later' });
        return rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from people`))[0]!.n;
      },
      async (tx) => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from people`))[0]!.n;
      },
    ]);
    t.same(seen, [1, 1], 'a row committed while the parts run is in neither');
    // A busy pool: one connection only, so the parts run in turn on it.
    const single = await open(t, url!, true);
    const [c, d] = await withTenantReadParts(single.db, tenant.id, [part, part]);
    t.equal(c!.pid, d!.pid, 'no second connection: in turn, on one');
    t.equal(c!.visible, 2);
  }
  const failing = withTenantReadParts(database.db, tenant.id, [part, async (tx) => tx.execute(sql`select 1 / 0`)]);
  t.match(await failure(failing), /division by zero/, 'a part that fails fails the read');
  const after = await withTenantReadParts(database.db, tenant.id, [part, part]);
  t.equal(after[0]!.visible, TEST_DATABASE_URL ? 2 : 1, 'and the connections came back usable');
});
