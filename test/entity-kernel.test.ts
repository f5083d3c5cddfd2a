import t from 'tap';
import { count, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../src/context.js';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { organizations, people } from '../src/db/schema/index.js';
import { withTenant } from '../src/db/tenant-transaction.js';
import { createServices } from '../src/modules/index.js';
import { organizationsRepository } from '../src/modules/organizations/organizations.repository.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { TEST_DATABASE_URL, freshDatabase } from './helpers/database.js';

// The batch-first kernel: set-based repository statements, composable transactions, one write path.

async function open(t: { teardown(fn: () => unknown): void }, onQuery?: (sql: string) => void) {
  if (TEST_DATABASE_URL) {
    const { url } = await freshDatabase(t);
    const database = await openDatabase({ databaseUrl: url!, dataDir: '', poolMax: 3, onQuery });
    t.teardown(() => database.close());
    return database;
  }
  const database = await openDatabase({ dataDir: 'memory://', onQuery });
  t.teardown(() => database.close());
  await runMigrations(database);
  return database;
}

const contextOf = (tenantId: string): RequestContext =>
  ({ tenantId, apiKey: { id: randomUUID(), name: 'kernel', scopes: ['read', 'write'] }, requestId: 'kernel', log: console }) as unknown as RequestContext;

t.test('upsertMany: created, updated and unchanged rows in one batch; versions move only for real changes', async (t) => {
  const database = await open(t);
  const { tenant } = await createTenant(database.db, { name: 'Upserts' });
  const batch = (rows: { externalId: string; name: string; industry?: string }[], known: { id: string; version: number }[]) =>
    withTenant(database.db, tenant.id, (tx) => organizationsRepository.upsertMany(tx, tenant.id, rows, known));

  const first = await batch([{ externalId: 'o-1', name: 'One' }, { externalId: 'o-2', name: 'Two' }], []);
  t.same(first.created.map((r) => [r.externalId, r.version]), [['o-1', 1], ['o-2', 1]]);
  t.same(first.updated, []);
  const known = first.created.map((r) => ({ id: r.id, version: r.version }));

  const second = await batch(
    [
      { externalId: 'o-1', name: 'One' },
      { externalId: 'o-2', name: 'Two', industry: 'Robotics' },
      { externalId: 'o-3', name: 'Three' },
    ],
    known,
  );
  t.same(second.created.map((r) => r.externalId), ['o-3'], 'created');
  t.same(second.updated.map((r) => [r.externalId, r.version, r.industry]), [['o-2', 2, 'Robotics']], 'updated, one version up');
  const stored = await database.db.select().from(organizations).where(eq(organizations.tenantId, tenant.id));
  const one = stored.find((r) => r.externalId === 'o-1')!;
  t.equal(one.version, 1, 'unchanged: neither returned nor touched');
  t.equal(one.updatedAt.getTime(), first.created[0]!.updatedAt.getTime());

  const unknown = await batch([{ externalId: 'o-1', name: 'Changed by someone who did not look' }], []);
  t.same([unknown.created.length, unknown.updated.length], [0, 0], 'a row the caller did not read and check is left alone');
  t.equal((await database.db.select().from(organizations).where(eq(organizations.id, one.id)))[0]!.name, 'One');
  const two = second.updated[0]!;
  const stale = await batch([{ externalId: 'o-2', name: 'Two, from an old read' }], [{ id: two.id, version: 1 }]);
  t.same([stale.created.length, stale.updated.length], [0, 0], 'nor one changed since the caller read it (version 1, stored 2)');
  const current = await batch([{ externalId: 'o-2', name: 'Two, from a fresh read' }], [{ id: two.id, version: 2 }]);
  t.same(current.updated.map((r) => [r.name, r.version]), [['Two, from a fresh read', 3]]);
});

t.test('listByParents: the first N children of 50 parents in one statement, with cursors', async (t) => {
  const statements: string[] = [];
  const database = await open(t, (text) => statements.push(text));
  const { tenant } = await createTenant(database.db, { name: 'Parents' });
  const orgs = await database.db
    .insert(organizations)
    .values(Array.from({ length: 50 }, (_, i) => ({ tenantId: tenant.id, name: `Org ${i}` })))
    .returning();
  // Org i employs i % 7 people.
  await database.db.insert(people).values(orgs.flatMap((o, i) => Array.from({ length: i % 7 }, (_, n) => ({ tenantId: tenant.id, fullName: `P ${i}.${n}`, organizationId: o.id }))));
  const services = createServices(database.db);
  statements.length = 0;
  const pages = await services.people.listByParents(contextOf(tenant.id), 'organizationId', orgs.map((o) => o.id), 3);
  const onPeople = statements.filter((s) => /from "people"/.test(s));
  t.equal(onPeople.length, 1, 'one statement reads the children of all 50');
  orgs.forEach((o, i) => {
    const page = pages.get(o.id)!;
    t.equal(page.records.length, Math.min(3, i % 7), `org ${i}`);
    t.equal(page.hasNextPage, i % 7 > 3);
    t.equal(page.cursors!.length, page.records.length);
  });
  // A cursor continues the parent's own list.
  const busy = orgs[6]!.id;
  const rest = await services.people.list(contextOf(tenant.id), { organizationId: busy, cursor: pages.get(busy)!.cursors![2] });
  t.equal(rest.data.length, 3, 'the other three');
  t.same(new Set([...pages.get(busy)!.records, ...rest.data].map((p) => p.id)).size, 6);
  await t.rejects(services.people.listByParents(contextOf(tenant.id), 'fullName', [busy], 3), /no list by fullName/);
});

t.test('two services in one transaction commit or roll back together', async (t) => {
  const database = await open(t);
  const { tenant } = await createTenant(database.db, { name: 'Composed' });
  const services = createServices(database.db);
  const ctx = contextOf(tenant.id);
  await t.rejects(
    withTenant(database.db, tenant.id, async (tx) => {
      const org = await services.organizations.create(ctx, { name: 'Both Or Neither' }, { tx });
      await services.people.create(ctx, { fullName: 'Staff', organizationId: org.record.id }, { tx });
      throw new Error('the request failed after both writes');
    }),
    /failed after both/,
  );
  const countOf = async (table: typeof people | typeof organizations) => Number((await database.db.select({ n: count() }).from(table).where(eq(table.tenantId, tenant.id)))[0]!.n);
  t.equal(await countOf(organizations), 0, 'no organization');
  t.equal(await countOf(people), 0, 'no person');

  await withTenant(database.db, tenant.id, async (tx) => {
    const org = await services.organizations.create(ctx, { name: 'Kept', externalId: 'kept' }, { tx });
    await services.people.create(ctx, { fullName: 'Kept Staff', organizationId: org.record.id }, { tx });
    // Reads inside the same transaction see its writes.
    t.equal((await services.organizations.getManyByExternalIds(ctx, ['kept', 'missing'], { tx }))[0]?.name, 'Kept');
  });
  t.equal(await countOf(organizations), 1);
  t.equal(await countOf(people), 1);
  const found = await services.organizations.getManyByExternalIds(ctx, ['missing', 'kept']);
  t.same(found.map((r) => r?.name ?? null), [null, 'Kept'], 'by external ID, in the order asked');
});

t.test('a batch reports each refused row with all its problems, and writes the rest', async (t) => {
  const database = await open(t);
  const { tenant } = await createTenant(database.db, { name: 'Batch' });
  const services = createServices(database.db);
  const ctx = contextOf(tenant.id);
  const ana = (await services.people.create(ctx, { fullName: 'Ana' })).record;
  const outcomes = await withTenant(database.db, tenant.id, (tx) =>
    services.relationships.writeBatch(tx, ctx, 'insert', [
      { input: { personId: ana.id, contactId: ana.id, introducedById: ana.id, externalId: null, kind: null, source: null, strength: null, lastContactedAt: null, notes: null }, current: null },
      { input: { personId: ana.id, contactId: randomUUID(), introducedById: null, externalId: null, kind: null, source: null, strength: null, lastContactedAt: null, notes: null }, current: null },
    ]),
  );
  t.match(outcomes[0], { status: 'refused', problems: [{ path: 'contactId' }, { path: 'introducedById' }] }, 'every problem of the first row');
  t.match(outcomes[1], { status: 'refused', problems: [{ path: 'contactId', message: 'no person with this id' }] });
  const rows = await database.db.execute(sql`select count(*)::int as n from relationships`);
  t.equal((rows as unknown as { rows: { n: number }[] }).rows[0]!.n, 0, 'nothing refused was written');
});

t.test('a batch written against a record changed since it was read is sent round again, and its retry lands', async (t) => {
  const database = await open(t);
  const { tenant } = await createTenant(database.db, { name: 'Stale' });
  const services = createServices(database.db);
  const ctx = { ...contextOf(tenant.id), apiKey: { id: randomUUID(), name: 'kernel', scopes: ['read', 'write', 'import'] } } as unknown as RequestContext;
  const first = (await services.organizations.create(ctx, { name: 'Acme', externalId: 'acme' })).record;
  // Someone else changes it after this batch read it (version 1 here, 2 stored).
  await services.organizations.update(ctx, first.id, { name: 'Acme Robotics' });
  const input = { externalId: 'acme', name: 'Acme, from the file', size: null, industry: null, website: null, location: null, description: null, tags: [] };
  await t.rejects(
    withTenant(database.db, tenant.id, (tx) => services.organizations.writeBatch(tx, ctx, 'upsert', [{ input: input as never, current: first }])),
    { name: 'RacedUpsert', externalIds: ['acme'] },
    'not replaced: the batch is retried',
  );
  const stored = await services.organizations.get(ctx, first.id);
  t.match(stored, { name: 'Acme Robotics', version: 2 }, 'the other change stands');
  // The import reads again: the retry sees version 2 and replaces it.
  const [outcome] = await withTenant(database.db, tenant.id, (tx) => services.organizations.importBatch(tx, ctx, 'upsert', [{ externalId: 'acme', name: 'Acme, from the file' }]));
  t.match(outcome, { status: 'updated' });
  t.match(await services.organizations.get(ctx, first.id), { name: 'Acme, from the file', version: 3 });
});
