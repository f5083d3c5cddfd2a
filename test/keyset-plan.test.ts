import t from 'tap';
import { and, asc, eq, sql } from 'drizzle-orm';
import { rowsOf } from '../src/db/client.js';
import { people } from '../src/db/schema/index.js';
import { peopleRepository } from '../src/modules/people/people.repository.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { afterCursor, decodeCursor, encodeCursor } from '../src/modules/shared/pagination.js';
import { engines } from './helpers/engines.js';

// A deep page of a list starts where the previous one ended: one range of the keyset index, not
// a scan of every earlier row (which made a full sync walk quadratic).

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Rows Removed by Filter'?: number;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

for (const engine of engines()) {
  t.test(`page 1,500 of 2,000 on the ${engine.name} engine is an index range scan`, async (t) => {
    const database = await engine.open(t);
    const { tenant } = await createTenant(database.db, { name: 'Keyset' });
    await database.db.execute(sql`
      insert into people (tenant_id, full_name, created_at)
      select ${tenant.id}, 'Person ' || n, now() - make_interval(secs => 10000 - n) from generate_series(1, 2000) n`);
    await database.db.execute(sql`analyze people`);
    const [at] = await database.db.select().from(people).where(eq(people.tenantId, tenant.id)).orderBy(asc(people.createdAt), asc(people.id)).offset(1499).limit(1);
    const cursor = decodeCursor(encodeCursor(at!));

    const page = database.db
      .select()
      .from(people)
      .where(and(eq(people.tenantId, tenant.id), afterCursor(people, tenant.id, cursor)))
      .orderBy(asc(people.createdAt), asc(people.id))
      .limit(26);
    const rows = await page;
    t.equal(rows.length, 26);
    t.equal(rows[0]!.fullName, 'Person 1501', 'the page starts right after the cursor');

    const query = page.toSQL();
    const explained = rowsOf<{ 'QUERY PLAN': unknown }>(
      await database.db.execute(sql.raw(`explain (analyze, format json) ${query.sql.replace(/\$(\d+)/g, (_m, n: string) => literal(query.params[Number(n) - 1]))}`)),
    );
    const raw = explained[0]!['QUERY PLAN'];
    const plan = (typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[];
    const all = nodes(plan[0]!.Plan);
    const scan = all.find((n) => n['Index Name'] === 'people_created_idx' && /created_at/.test(n['Index Cond'] ?? ''));
    t.ok(scan, 'people_created_idx, with the cursor in its Index Cond', { plan: all.map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''} ${n['Index Cond'] ?? ''}`) });
    t.ok((scan?.['Actual Rows'] ?? 0) <= 26, `reads ${scan?.['Actual Rows']} rows for a page of 26`);
    t.equal(scan?.['Rows Removed by Filter'] ?? 0, 0, 'filters out none');
  });
}

// The first N children of many parents (GraphQL's to-many relations): each parent's slice of
// its (tenant, parent, created_at, id) index, N + 1 entries, however many children it has.
for (const engine of engines()) {
  t.test(`the first 5 people of each organization on the ${engine.name} engine: 6 index entries each, not all 2,000`, async (t) => {
    const database = await engine.open(t);
    const { tenant } = await createTenant(database.db, { name: 'Parents' });
    const [big, small, none] = rowsOf<{ id: string }>(
      await database.db.execute(sql`insert into organizations (tenant_id, name) select ${tenant.id}, 'Org ' || n from generate_series(1, 3) n returning id`),
    ).map((r) => r.id);
    await database.db.execute(sql`
      insert into people (tenant_id, full_name, organization_id, created_at)
      select ${tenant.id}, 'Person ' || n, case when n <= 2000 then ${big}::uuid else ${small}::uuid end, now() - make_interval(secs => 10000 - n)
      from generate_series(1, 2005) n`);
    await database.db.execute(sql`analyze people`);

    const pages = await peopleRepository.listByParents(database.db, tenant.id, people.organizationId, [big!, small!, none!], 5);
    t.same([big, small, none].map((id) => [pages.get(id!)!.rows.length, pages.get(id!)!.hasMore]), [[5, true], [5, false], [0, false]]);
    t.same(pages.get(big!)!.rows.map((r) => r.fullName), ['Person 1', 'Person 2', 'Person 3', 'Person 4', 'Person 5'], 'oldest first');

    const query = peopleRepository.listByParentsQuery(database.db, tenant.id, people.organizationId, [big!, small!, none!], 5).toSQL();
    const explained = rowsOf<{ 'QUERY PLAN': unknown }>(
      await database.db.execute(sql.raw(`explain (analyze, format json) ${query.sql.replace(/\$(\d+)/g, (_m, n: string) => literal(query.params[Number(n) - 1]))}`)),
    );
    const raw = explained[0]!['QUERY PLAN'];
    const all = nodes(((typeof raw === 'string' ? JSON.parse(raw) : raw) as { Plan: PlanNode }[])[0]!.Plan);
    const scan = all.find((n) => n['Index Name'] === 'people_organization_idx');
    t.ok(scan, 'people_organization_idx', { plan: all.map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''} ${n['Index Cond'] ?? ''}`) });
    t.ok((scan?.['Actual Rows'] ?? Infinity) <= 6, `reads ${scan?.['Actual Rows']} entries a parent (at most 6)`);
  });
}

/** A value as an SQL literal, for EXPLAIN of a parameterised statement. */
function literal(value: unknown): string {
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return `'{${value.join(',')}}'`;
  return `'${String(value).replaceAll("'", "''")}'`;
}
