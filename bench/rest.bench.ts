// `npm run bench:rest` (needs TEST_DATABASE_URL): the service against a floor (bench/floor-server.ts:
// node:http + pg, no auth, no tenant transaction) answering the same JSON from the same database,
// side by side in one run: GET /v1/people/{id} and a walk of GET /v1/people?limit=50 by cursor,
// 32 connections, interleaved rounds. Prints req/s, p99 and the ratio service/floor for both.
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { people } from '../src/db/schema/index.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { benchDatabase, client, serverUrlOrExit, startFloor, startService, tally } from './harness.js';

const BASE_URL = serverUrlOrExit('bench:rest');
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PEOPLE = 2000;

// A database of its own, dropped at the end.
const { url, drop } = await benchDatabase(BASE_URL);
const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 2 });
await runMigrations(database);
const { tenant, apiKey } = await createTenant(database.db, { name: 'Bench' });
const ids: string[] = [];
for (let from = 0; from < PEOPLE; from += 500) {
  const rows = await database.db
    .insert(people)
    .values(Array.from({ length: 500 }, (_, i) => ({ tenantId: tenant.id, fullName: `Student ${from + i}`, roles: ['student' as const], program: 'BSc Biology', graduationYear: 2027, tags: ['term-1'], emails: [`s${from + i}@example.edu`] })))
    .returning({ id: people.id });
  ids.push(...rows.map((r) => r.id));
}
await database.db.execute(`analyze people` as never);
await database.close();

const service = await startService(url);
const floor = await startFloor(url, tenant.id);
const http = client(CONNECTIONS, { authorization: `Bearer ${apiKey.secret}` });
const load = (base: string, next: Parameters<typeof http.load>[2]) => http.load(base, SECONDS, next);

const byId = () => ({ path: `/v1/people/${ids[Math.floor(Math.random() * ids.length)]}` });
const walk = (worker: { cursor: string | null }, last: string | null) => {
  worker.cursor = last ? ((JSON.parse(last) as { nextCursor: string | null }).nextCursor ?? null) : null;
  return { path: `/v1/people?limit=50${worker.cursor ? `&cursor=${encodeURIComponent(worker.cursor)}` : ''}` };
};

const { add, line } = tally();
await load(service.base, byId); // warm-up
await load(floor.base, byId);
for (let round = 0; round < ROUNDS; round++) {
  add('service by id', await load(service.base, byId));
  add('floor by id', await load(floor.base, byId));
  add('service list walk', await load(service.base, walk));
  add('floor list walk', await load(floor.base, walk));
}
service.child.kill('SIGTERM');
floor.child.kill('SIGTERM');
http.close();
await new Promise((resolve) => setTimeout(resolve, 500));
await drop();

process.stdout.write(`REST against the floor, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each:\n${line('by id')}${line('list walk')}`);
