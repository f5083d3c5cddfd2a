// `npm run bench:rest` (needs TEST_DATABASE_URL): the service against a floor (bench/floor-server.ts:
// node:http + pg, no auth, no tenant transaction) answering the same JSON from the same database,
// side by side in one run: GET /v1/people/{id} and a walk of GET /v1/people?limit=50 by cursor,
// 32 connections, interleaved rounds. Prints req/s, p99 and the ratio service/floor for both.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { people } from '../src/db/schema/index.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';

const BASE_URL = process.env.TEST_DATABASE_URL;
if (!BASE_URL) {
  process.stdout.write('bench:rest needs TEST_DATABASE_URL (a PostgreSQL server): the floor is node:http + pg.\n');
  process.exit(0);
}
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PEOPLE = 2000;

// A database of its own, dropped at the end.
const name = `icrm_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: BASE_URL });
await admin.connect();
await admin.query(`create database ${name}`);
const url = Object.assign(new URL(BASE_URL), { pathname: `/${name}` }).toString();
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

function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, ['--import=tsx', ...(process.env.BENCH_PROF && args[0] === 'src/server.ts' ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.BENCH_PROF] : []), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = ready.exec(out);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ child, base: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

const service = await start(['src/server.ts'], { DATABASE_URL: url, PORT: '0', RATE_LIMIT_PER_MINUTE: '0', DATABASE_POOL_MAX: '10' }, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
const floor = await start(['bench/floor-server.ts'], { DATABASE_URL: url, FLOOR_TENANT: tenant.id }, /floor listening at (http:\/\/127\.0\.0\.1:\d+)/);

const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
const headers = { authorization: `Bearer ${apiKey.secret}` };

function get(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { agent, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

interface Result {
  requests: number;
  seconds: number;
  latencies: number[];
}

/** CONNECTIONS loops for SECONDS; each asks `next()` for its next path. */
async function load(base: string, next: (worker: { cursor: string | null }, lastBody: string | null) => string): Promise<Result> {
  const latencies: number[] = [];
  const deadline = Date.now() + SECONDS * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const worker = { cursor: null as string | null };
      let last: string | null = null;
      while (Date.now() < deadline) {
        const t0 = process.hrtime.bigint();
        const res = await get(base, next(worker, last));
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (res.status !== 200) throw new Error(`${base}: ${res.status} ${res.body.slice(0, 200)}`);
        last = res.body;
      }
    }),
  );
  return { requests: latencies.length, seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies };
}

const byId = () => `/v1/people/${ids[Math.floor(Math.random() * ids.length)]}`;
const walk = (worker: { cursor: string | null }, last: string | null) => {
  worker.cursor = last ? ((JSON.parse(last) as { nextCursor: string | null }).nextCursor ?? null) : null;
  return `/v1/people?limit=50${worker.cursor ? `&cursor=${encodeURIComponent(worker.cursor)}` : ''}`;
};

const totals: Record<string, Result> = {};
const add = (key: string, r: Result) => {
  const t = (totals[key] ??= { requests: 0, seconds: 0, latencies: [] });
  t.requests += r.requests;
  t.seconds += r.seconds;
  t.latencies.push(...r.latencies);
};
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
agent.destroy();
await new Promise((resolve) => setTimeout(resolve, 500));
await admin.query(`drop database ${name} with (force)`);
await admin.end();

const rate = (r: Result) => r.requests / r.seconds;
const p99 = (r: Result) => r.latencies.sort((a, b) => a - b)[Math.floor(r.latencies.length * 0.99)]!;
const line = (what: string) => {
  const s = totals[`service ${what}`]!;
  const f = totals[`floor ${what}`]!;
  return `  ${what}: service ${rate(s).toFixed(0)} req/s (p99 ${p99(s).toFixed(1)} ms), floor ${rate(f).toFixed(0)} req/s (p99 ${p99(f).toFixed(1)} ms); ratio ${(rate(s) / rate(f)).toFixed(2)}x\n`;
};
process.stdout.write(`REST against the floor, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${SECONDS} s each:\n${line('by id')}${line('list walk')}`);
