// `npm run bench:graphql` (needs TEST_DATABASE_URL): the nested GraphQL query against
// 1,000 organizations x 20 people x 3 interviews, the service (Mercurius, JSON trees, tenant
// transactions) beside a floor that answers the same JSON with one hand-written SQL statement
// (json aggregation) behind bare node:http (bench/floor-server.ts), and beside PostGraphile 5
// (bench/postgraphile/, installed there on demand; BENCH_POSTGRAPHILE=0 leaves it out), in
// interleaved rounds of one run. Checks once that the answers are equal, then prints req/s,
// p99 and the ratios.
import { deepStrictEqual } from 'node:assert';
import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { loadConfig } from '../src/config.js';
import { documentCost } from '../src/graphql/limits.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { benchDatabase, client, serverUrlOrExit, startFloor, startPostGraphile, startService, tally } from './harness.js';

const BASE_URL = serverUrlOrExit('bench:graphql');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ORGANIZATIONS = 1000;
const PEOPLE_EACH = 20;
const INTERVIEWS_EACH = 3;

// Each page as the floor's statement takes it: 25 organizations, 20 people, 3 interviews.
const QUERY = `{ organizations(first: 25) { nodes { name people(first: 20) { nodes { fullName interviews(first: 3) { nodes { status interviewee { fullName organization { name } } } } } } } } }`;

// PostGraphile 5 asks the same with its own names (the Amber preset over our tables: composite
// foreign keys name the relations, `id` is `rowId`), in the same (created_at, id) order; the
// aliases give its answer our field names.
const ORDER = 'orderBy: [CREATED_AT_ASC, ROW_ID_ASC]';
const POSTGRAPHILE_QUERY = `{ organizations: allOrganizations(first: 25, ${ORDER}) { nodes { name people: peopleByTenantIdAndOrganizationId(first: 20, ${ORDER}) { nodes { fullName interviews: interviewsByTenantIdAndRequesterId(first: 3, ${ORDER}) { nodes { status interviewee: personByTenantIdAndIntervieweeId { fullName organization: organizationByTenantIdAndOrganizationId { name } } } } } } } } }`;
const WITH_POSTGRAPHILE = process.env.BENCH_POSTGRAPHILE !== '0';
const postgraphileDir = new URL('postgraphile/', import.meta.url);
if (WITH_POSTGRAPHILE && !existsSync(new URL('node_modules/postgraphile/package.json', postgraphileDir))) {
  process.stdout.write('installing PostGraphile 5 into bench/postgraphile (once; its lock file pins it)\n');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: postgraphileDir, stdio: 'inherit' });
}

const { url, drop } = await benchDatabase(BASE_URL);
const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 2 });
await runMigrations(database);
const { tenant, apiKey } = await createTenant(database.db, { name: 'Bench' });
await database.close();

// The data in three set statements: every person of organization k requests 3 interviews,
// one with a person of each of the next three organizations.
const seed = new pg.Client({ connectionString: url });
await seed.connect();
await seed.query(`insert into organizations (tenant_id, name) select $1, 'Organization ' || lpad(g::text, 4, '0') from generate_series(1, $2) g`, [tenant.id, ORGANIZATIONS]);
await seed.query(
  `insert into people (tenant_id, full_name, organization_id, roles)
   select $1, o.name || ' person ' || g, o.id, '{professional}' from organizations o, generate_series(1, $2) g where o.tenant_id = $1`,
  [tenant.id, PEOPLE_EACH],
);
await seed.query(
  `with ranked as (select id, (row_number() over (order by created_at, id) - 1)::int as n from people where tenant_id = $1)
   insert into interviews (tenant_id, requester_id, interviewee_id, status)
   select $1, r.id, e.id, (array['planned', 'requested', 'completed'])[k] from ranked r cross join generate_series(1, $2) k
   join ranked e on e.n = (r.n + $3 * k) % (select count(*) from ranked)`,
  [tenant.id, INTERVIEWS_EACH, PEOPLE_EACH],
);
await seed.query('analyze');
await seed.end();

const config = loadConfig({});
const schema = buildSchema(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
process.stdout.write(`the query costs ${documentCost(schema, parse(QUERY), {})} (at most ${config.GRAPHQL_MAX_COST} is accepted)\n`);

const service = await startService(url);
const floor = await startFloor(url, tenant.id);
const postgraphile = WITH_POSTGRAPHILE ? await startPostGraphile(url, tenant.id) : null;
const http = client(CONNECTIONS, { authorization: `Bearer ${apiKey.secret}` });
const call = { path: '/graphql', method: 'POST' as const, body: JSON.stringify({ query: QUERY }) };
const postgraphileCall = { ...call, body: JSON.stringify({ query: POSTGRAPHILE_QUERY }) };

// The same answer from all, or the comparison means nothing.
const fromService = JSON.parse((await http.send(service.base, call)).body);
const fromFloor = JSON.parse((await http.send(floor.base, call)).body);
deepStrictEqual(fromService, fromFloor);
if (postgraphile) {
  // Its status is the stored text; ours is the enum's name.
  const text = (await http.send(postgraphile.base, postgraphileCall)).body.replace(/"status":"(\w+)"/g, (_m, status: string) => `"status":"${status.toUpperCase()}"`);
  deepStrictEqual(JSON.parse(text), fromService);
}
const interviews = fromService.data.organizations.nodes.flatMap((o: { people: { nodes: { interviews: { nodes: unknown[] } }[] } }) => o.people.nodes.flatMap((p) => p.interviews.nodes));
process.stdout.write(`one answer: 25 organizations, ${interviews.length} interviews, ${(JSON.stringify(fromService).length / 1024).toFixed(0)} KB; equal from all\n`);

const contestants = [
  { name: 'service', base: service.base, call },
  { name: 'floor', base: floor.base, call },
  ...(postgraphile ? [{ name: 'postgraphile', base: postgraphile.base, call: postgraphileCall }] : []),
];
const { add, line } = tally();
for (const { base, call } of contestants) await http.load(base, SECONDS, () => call); // warm-up (and the JITs' compile)
for (let round = 0; round < ROUNDS; round++) {
  for (const { name, base, call } of contestants) add(`${name} nested query`, await http.load(base, SECONDS, () => call));
}
for (const { child } of [service, floor, ...(postgraphile ? [postgraphile] : [])]) child.kill('SIGTERM');
http.close();
await new Promise((resolve) => setTimeout(resolve, 500));
await drop();

process.stdout.write(
  `GraphQL against one SQL statement${postgraphile ? ' and PostGraphile 5' : ''}, ${ORGANIZATIONS} organizations x ${PEOPLE_EACH} people x ${INTERVIEWS_EACH} interviews, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each:\n${line('nested query')}${postgraphile ? line('nested query', 'postgraphile') : ''}`,
);
