// `npm run bench:graphql` (needs TEST_DATABASE_URL): the nested GraphQL query against
// 1,000 organizations x 20 people x 3 interviews, the service (Mercurius, loaders, tenant
// transactions) beside a floor that answers the same JSON with one hand-written SQL statement
// (json aggregation) behind bare node:http (bench/floor-server.ts), in interleaved rounds of
// one run. Checks once that both answers are equal, then prints req/s, p99 and the ratio.
import { deepStrictEqual } from 'node:assert';
import pg from 'pg';
import { readFileSync } from 'node:fs';
import { buildSchema, parse } from 'graphql';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { loadConfig } from '../src/config.js';
import { documentCost } from '../src/graphql/limits.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { benchDatabase, client, serverUrlOrExit, startFloor, startService, tally } from './harness.js';

const BASE_URL = serverUrlOrExit('bench:graphql');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const ORGANIZATIONS = 1000;
const PEOPLE_EACH = 20;
const INTERVIEWS_EACH = 3;

// Each page as the floor's statement takes it: 25 organizations, 20 people, 3 interviews.
const QUERY = `{ organizations(first: 25) { nodes { name people(first: 20) { nodes { fullName interviews(first: 3) { nodes { status interviewee { fullName organization { name } } } } } } } } }`;

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
const http = client(CONNECTIONS, { authorization: `Bearer ${apiKey.secret}` });
const call = { path: '/graphql', method: 'POST' as const, body: JSON.stringify({ query: QUERY }) };

// The same answer from both, or the comparison means nothing.
const fromService = JSON.parse((await http.send(service.base, call)).body);
const fromFloor = JSON.parse((await http.send(floor.base, call)).body);
deepStrictEqual(fromService, fromFloor);
const interviews = fromService.data.organizations.nodes.flatMap((o: { people: { nodes: { interviews: { nodes: unknown[] } }[] } }) => o.people.nodes.flatMap((p) => p.interviews.nodes));
process.stdout.write(`one answer: 25 organizations, ${interviews.length} interviews, ${(JSON.stringify(fromService).length / 1024).toFixed(0)} KB; equal from both\n`);

const { add, line } = tally();
await http.load(service.base, SECONDS, () => call); // warm-up (and the JIT's compile)
await http.load(floor.base, SECONDS, () => call);
for (let round = 0; round < ROUNDS; round++) {
  add('service nested query', await http.load(service.base, SECONDS, () => call));
  add('floor nested query', await http.load(floor.base, SECONDS, () => call));
}
service.child.kill('SIGTERM');
floor.child.kill('SIGTERM');
http.close();
await new Promise((resolve) => setTimeout(resolve, 500));
await drop();

process.stdout.write(
  `GraphQL against one SQL statement, ${ORGANIZATIONS} organizations x ${PEOPLE_EACH} people x ${INTERVIEWS_EACH} interviews, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each:\n${line('nested query')}`,
);
