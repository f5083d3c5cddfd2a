// `npm run bench:analytics` (needs TEST_DATABASE_URL): a tenant of 100,000 people, 300,000
// interviews, 200,000 relationships and 50,000 opportunities (BENCH_SCALE scales them), seeded
// set-based in SQL from generate_series (deterministic: every value derives from the row number),
// then p50/p95 over HTTP, one request at a time, of GET /v1/analytics/summary for the whole
// tenant and for one program and term, and of GET /v1/people/{id}/progress. The reference, run
// the same way against the same database in this script: one bare `count(*)` of the tenant's
// interviews over pg (a single scan of the table the summary reads most).
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { benchDatabase, client, serverUrlOrExit, startService } from './harness.js';

const BASE_URL = serverUrlOrExit('bench:analytics');
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const PEOPLE = Math.round(100_000 * SCALE);
const INTERVIEWS = Math.round(300_000 * SCALE);
const RELATIONSHIPS = Math.round(200_000 * SCALE);
const OPPORTUNITIES = Math.round(50_000 * SCALE);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40);

const { url, drop } = await benchDatabase(BASE_URL);
const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 2 });
await runMigrations(database);
const { tenant, apiKey } = await createTenant(database.db, { name: 'Bench' });
await database.close();

const admin = new pg.Client({ connectionString: url });
await admin.connect();
const seedStart = performance.now();
const t = tenant.id;
// Person n: a student (program by n % 5, graduating 2024-2031) for n ≤ 80%, else a professional.
await admin.query(
  `insert into people (tenant_id, full_name, roles, program, graduation_year, tags, created_at)
   select $1, 'Person ' || n, case when n <= $2 * 0.8 then '{student}'::text[] else '{professional}'::text[] end,
     case when n <= $2 * 0.8 then (array['Biology','Computer Science','History','Mechanical Engineering','Nursing'])[n % 5 + 1] end,
     case when n <= $2 * 0.8 then 2024 + n % 8 end, case when n % 3 = 0 then '{first-gen}'::text[] else '{}'::text[] end,
     timestamptz '2024-01-01' + (n % 1000) * interval '1 day'
   from generate_series(1, $2) n`,
  [t, PEOPLE],
);
await admin.query(`create temp table ids as select row_number() over (order by created_at, id) as n, id from people where tenant_id = $1`, [t]);
await admin.query('create index on ids (n)');
const students = Math.floor(PEOPLE * 0.8);
// Interview k: a student asks a professional; statuses, thank-yous, follow-ups and ratings vary with k.
await admin.query(
  `insert into interviews (tenant_id, requester_id, interviewee_id, status, scheduled_at, occurred_at, thank_you_sent_at, follow_ups, skill_ratings, created_at)
   select $1, r.id, e.id, s.status,
     timestamptz '2024-01-01' + (k % 1000) * interval '1 day',
     case when s.status = 'completed' then timestamptz '2024-01-01' + (k % 1000) * interval '1 day' end,
     case when s.status = 'completed' and k % 3 > 0 then timestamptz '2024-01-01' + (k % 1000) * interval '1 day' + (k % 40) * interval '1 hour' end,
     case when k % 4 = 0 then '[{"action":"thank","doneAt":"2024-02-01T00:00:00Z"},{"action":"apply"}]'::jsonb else '[]'::jsonb end,
     case when s.status = 'completed' then jsonb_build_object('confidence', 1 + k % 5, 'communication', 1 + (k / 7) % 5) end,
     timestamptz '2024-01-01' + (k % 1000) * interval '1 day'
   from generate_series(1, $2) k
   join ids r on r.n = 1 + k % $3
   join ids e on e.n = $3 + 1 + k % ($4 - $3)
   cross join lateral (select (array['completed','completed','completed','scheduled','planned','cancelled','no_show','requested'])[k % 8 + 1] as status) s`,
  [t, INTERVIEWS, students, PEOPLE],
);
await admin.query(
  `insert into interview_referrals (tenant_id, interview_id, position, person_id)
   select $1, i.id, 0, i.interviewee_id from interviews i where i.tenant_id = $1 and i.status = 'completed' and (hashtext(i.id::text) % 5) = 0`,
  [t],
);
// Relationship j: person 1 + j % people knows person 1 + (j * 7 + 1) % people (pairs unique for these sizes).
await admin.query(
  `insert into relationships (tenant_id, person_id, contact_id, source, created_at)
   select $1, a.id, b.id, (array['career_center','referral','interview','event','linkedin','alumni_network'])[j % 6 + 1],
     timestamptz '2024-01-01' + (j % 1000) * interval '1 day'
   from generate_series(1, $2) j
   join ids a on a.n = 1 + j % $3
   join ids b on b.n = 1 + (j / $3 + 1 + j % $3 * 13) % $3
   where a.id <> b.id
   on conflict do nothing`,
  [t, RELATIONSHIPS, PEOPLE],
);
await admin.query(
  `insert into opportunities (tenant_id, seeker_id, title, advertised, source, status, created_at)
   select $1, s.id, 'Opportunity ' || o, o % 3 = 0,
     (array['referral','informational_interview','network','career_center','event','posting','other'])[o % 7 + 1],
     (array['identified','applied','interviewing','offered','accepted','declined','rejected','withdrawn','closed'])[o % 9 + 1],
     timestamptz '2024-01-01' + (o % 1000) * interval '1 day'
   from generate_series(1, $2) o join ids s on s.n = 1 + o % $3`,
  [t, OPPORTUNITIES, students],
);
// Vacuumed as autovacuum would have by then: index-only scans see the visibility map.
await admin.query('vacuum analyze');
const counts = (await admin.query(
  `select (select count(*) from people) p, (select count(*) from interviews) i, (select count(*) from relationships) r, (select count(*) from opportunities) o`,
)).rows[0];
const personIds = (await admin.query(`select id from ids where n % 997 = 1 and n <= $1`, [students])).rows.map((r) => r.id as string);
process.stdout.write(`seeded ${counts.p} people, ${counts.i} interviews, ${counts.r} relationships, ${counts.o} opportunities in ${((performance.now() - seedStart) / 1000).toFixed(1)} s\n`);

// BENCH_EXPLAIN=1: the plan of the whole tenant's summary, with its timings.
if (process.env.BENCH_EXPLAIN) {
  const { summaryStatements } = await import('../src/modules/analytics/analytics.repository.js');
  const { sql } = await import('drizzle-orm');
  const explained = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 1 });
  for (const statement of summaryStatements(t, {})) {
    const plan = await explained.db.execute(sql`explain (analyze, costs off) ${statement}`);
    process.stdout.write(`${(plan as unknown as { rows: { 'QUERY PLAN': string }[] }).rows.map((r) => r['QUERY PLAN']).join('\n')}\n`);
  }
  await explained.close();
}
const service = await startService(url);
const http = client(1, { authorization: `Bearer ${apiKey.secret}` });
const csv = client(1, { authorization: `Bearer ${apiKey.secret}`, accept: 'text/csv' });
const percentile = (samples: number[], p: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor(samples.length * p))]!;

async function measure(label: string, run: (i: number) => Promise<void>) {
  for (let i = 0; i < 3; i++) await run(i); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const start = performance.now();
    await run(i);
    samples.push(performance.now() - start);
  }
  return { label, p50: percentile(samples, 0.5), p95: percentile(samples, 0.95) };
}
const get = (path: string) => async () => {
  const res = await http.send(service.base, { path });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.body.slice(0, 300)}`);
};

const reference = await measure('reference: count(*) of the tenant interviews over pg', async () => {
  await admin.query('select count(*) from interviews where tenant_id = $1', [t]);
});
const results = [
  await measure('summary, whole tenant', get('/v1/analytics/summary')),
  await measure('summary, one program and term', get('/v1/analytics/summary?program=Computer%20Science&from=2025-01-01T00:00:00Z&to=2025-07-01T00:00:00Z')),
  await measure('summary, whole tenant, as CSV', async () => {
    const res = await csv.send(service.base, { path: '/v1/analytics/summary' });
    if (res.status !== 200 || !res.body.startsWith('figure,')) throw new Error(`CSV: ${res.status}`);
  }),
  await measure("a person's progress", async (i) => get(`/v1/people/${personIds[i % personIds.length]}/progress`)()),
];
const row = (r: { label: string; p50: number; p95: number }) =>
  `| ${r.label} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms | ${(r.p95 / reference.p95).toFixed(1)}× |`;
process.stdout.write(`\n| ${ROUNDS} requests, one at a time | p50 | p95 | p95 ÷ reference p95 |\n|---|---|---|---|\n`);
for (const r of [reference, ...results]) process.stdout.write(`${row(r)}\n`);

http.close();
csv.close();
service.child.kill('SIGTERM');
await admin.end();
// BENCH_KEEP=1 keeps the seeded database (its URL printed) to try plans on; drop it yourself.
if (process.env.BENCH_KEEP) process.stdout.write(`kept ${url}\n`);
else await drop();
