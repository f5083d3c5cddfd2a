import t from 'tap';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import { people } from '../src/db/schema/index.js';
import { withTenant } from '../src/db/tenant-transaction.js';
import { requestContext } from '../src/http/request-context.js';
import { buildTestApp, tenantWithKey } from './helpers/app.js';
import { engines } from './helpers/engines.js';

for (const engine of engines()) {
  t.test(`row-level security on the ${engine.name} engine`, async (t) => {
    const database = await engine.open(t);
    const { app } = await buildTestApp(t, {}, database);
    const a = await tenantWithKey(database, 'Center A');
    const b = await tenantWithKey(database, 'Center B');
    // Rows written as the system (owner) connection, which bypasses RLS by design.
    await database.db.insert(people).values([
      { tenantId: a.tenant.id, fullName: 'Ann of A' },
      { tenantId: a.tenant.id, fullName: 'Abe of A' },
      { tenantId: b.tenant.id, fullName: 'Bea of B' },
    ]);

    // A deliberately careless route: no tenant filter at all, through the real request path.
    app.get('/v1/probe/people', { onRequest: app.authenticate }, async (request) => {
      const ctx = requestContext(request);
      return withTenant(database.db, ctx.tenantId, async (tx) =>
        rowsOf<{ full_name: string; tenant_id: string }>(await tx.execute(sql`select full_name, tenant_id from people order by full_name`)),
      );
    });

    t.test('an unfiltered query sees only the caller’s tenant', async (t) => {
      const resA = await app.inject({ url: '/v1/probe/people', headers: a.auth });
      t.equal(resA.statusCode, 200);
      t.same(resA.json().map((r: { full_name: string }) => r.full_name), ['Abe of A', 'Ann of A']);
      const resB = await app.inject({ url: '/v1/probe/people', headers: b.auth });
      t.same(resB.json(), [{ full_name: 'Bea of B', tenant_id: b.tenant.id }]);
    });

    t.test('the tenant role cannot write another tenant’s rows', async (t) => {
      await t.rejects(
        withTenant(database.db, a.tenant.id, (tx) => tx.insert(people).values({ tenantId: b.tenant.id, fullName: 'Intruder' })),
        { cause: { message: /row-level security/ } },
      );
      const updated = await withTenant(database.db, a.tenant.id, (tx) =>
        tx.update(people).set({ notes: 'touched' }).returning({ id: people.id }),
      );
      t.equal(updated.length, 2, 'an unfiltered update reaches only the own tenant');
      const untouched = rowsOf<{ notes: string | null }>(
        await database.db.execute(sql`select notes from people where tenant_id = ${b.tenant.id}`),
      );
      t.same(untouched, [{ notes: null }]);
    });

    t.test("the sweep's setting opens other tenants' feed to reading and deleting only, never to writing", async (t) => {
      const theirs = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from events where tenant_id = ${b.tenant.id}`))[0]!.n;
      t.ok(theirs > 0, `B has ${theirs} events`);
      const asSweep = <T>(work: (tx: Parameters<Parameters<typeof withTenant>[2]>[0]) => Promise<T>) =>
        withTenant(database.db, a.tenant.id, async (tx) => {
          await tx.execute(sql`select set_config('app.sweep', 'on', true)`);
          return work(tx);
        });
      t.equal(await asSweep(async (tx) => rowsOf(await tx.execute(sql`select 1 from events where tenant_id = ${b.tenant.id}`)).length), theirs, 'it reads them');
      t.equal(await asSweep(async (tx) => rowsOf(await tx.execute(sql`update events set type = 'forged' where tenant_id = ${b.tenant.id} returning 1`)).length), 0, 'it changes none');
      t.equal(await asSweep(async (tx) => rowsOf(await tx.execute(sql`update event_commits set position = null where tenant_id = ${b.tenant.id} returning 1`)).length), 0, 'nor their commits');
      await t.rejects(asSweep((tx) => tx.execute(sql`insert into event_heads (tenant_id) values (gen_random_uuid())`)), { cause: { message: /row-level security/ } }, 'and adds nothing');
    });

    t.test('the role and the tenant do not outlive the transaction', async (t) => {
      await withTenant(database.db, a.tenant.id, async () => undefined);
      const after = rowsOf<{ role: string; tenant: string | null }>(
        await database.db.execute(sql`select current_user as role, nullif(current_setting('app.tenant_id', true), '') as tenant`),
      );
      t.not(after[0]?.role, 'icrm_app');
      t.equal(after[0]?.tenant, null);
    });

    t.test('a reference cannot cross tenants at the database level', async (t) => {
      const [bea] = rowsOf<{ id: string }>(await database.db.execute(sql`select id from people where tenant_id = ${b.tenant.id}`));
      const [ann] = rowsOf<{ id: string }>(await database.db.execute(sql`select id from people where tenant_id = ${a.tenant.id} limit 1`));
      await t.rejects(
        database.db.execute(
          sql`insert into relationships (tenant_id, person_id, contact_id) values (${a.tenant.id}, ${ann!.id}, ${bea!.id})`,
        ),
        { cause: { message: /foreign key/ } },
      );
    });
  });
}
