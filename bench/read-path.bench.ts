// `npm run bench:read-path` (needs TEST_DATABASE_URL): what PostgreSQL costs a tenant read,
// one way against another, with Node doing nothing else. Each mode is a bare node:http server
// answering GET /<person id> from the same table through a pool of 10; the floor is one
// unnamed statement as a superuser (no tenant transaction, no RLS). Prints req/s and the ratio
// to the floor. This is how the read path of src/db/one-trip-read.ts was chosen.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import pg from 'pg';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { people } from '../src/db/schema/index.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';

const COLUMNS =
  'id, external_id, created_at, updated_at, version, full_name, preferred_name, pronouns, emails, phone, location, headline, linkedin_url, roles, program, graduation_year, organization_id, title, tags, do_not_contact, notes';
const BY_ID = `select ${COLUMNS} from people where tenant_id = $1 and id = $2`;

const MODES: Record<string, string> = {
  floor: 'one unnamed statement, superuser, no transaction',
  'three trips': 'BEGIN + settings; the statement; COMMIT (not awaited)',
  'three trips, named': 'the same, the statement prepared once per connection (protocol level)',
  'three trips, no role': 'the same as three trips without the role switch',
  'one message': 'BEGIN; settings; the statement with literals; COMMIT in one simple query',
  'one message, prepared': 'BEGIN; settings; EXECUTE of a statement prepared once per connection; COMMIT',
};

async function serve(mode: string, url: string, tenant: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  const enter = `begin read only; set local app.tenant_id = '${tenant}'; set local role icrm_app`;
  const prepared = new WeakSet<pg.PoolClient>();
  const read = async (id: string): Promise<unknown> => {
    if (mode === 'floor') return (await pool.query(BY_ID, [tenant, id])).rows[0];
    const c = await pool.connect();
    try {
      if (mode.startsWith('three trips')) {
        await c.query(mode.endsWith('no role') ? `begin read only; set local app.tenant_id = '${tenant}'` : enter);
        const config = mode.endsWith('named') ? { name: 'by_id', text: BY_ID, values: [tenant, id] } : { text: BY_ID, values: [tenant, id] };
        const row = (await c.query(config)).rows[0];
        c.query('commit').catch(() => undefined);
        return row;
      }
      const literal = c.escapeLiteral(id);
      if (mode === 'one message') {
        const results = (await c.query(`${enter}; ${BY_ID.replace('$1', `'${tenant}'`).replace('$2', literal)}; commit`)) as unknown as pg.QueryResult[];
        return results[3]!.rows[0];
      }
      const prepare = prepared.has(c) ? '' : `prepare by_id(uuid, uuid) as ${BY_ID}; `;
      prepared.add(c);
      const results = (await c.query(`${enter}; ${prepare}execute by_id('${tenant}', ${literal}); commit`)) as unknown as pg.QueryResult[];
      return results[results.length - 2]!.rows[0];
    } finally {
      c.release();
    }
  };
  const server = createServer((req, res) => {
    void read(req.url!.slice(1)).then((row) => {
      const text = JSON.stringify(row);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  });
  server.listen(0, '127.0.0.1', () => process.stdout.write(`listening at http://127.0.0.1:${(server.address() as { port: number }).port}\n`));
}

if (process.env.READ_PATH_MODE) {
  await serve(process.env.READ_PATH_MODE, process.env.DATABASE_URL!, process.env.READ_PATH_TENANT!);
} else {
  const BASE_URL = process.env.TEST_DATABASE_URL;
  if (!BASE_URL) {
    process.stdout.write('bench:read-path needs TEST_DATABASE_URL (a PostgreSQL server).\n');
    process.exit(0);
  }
  const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
  const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
  const name = `icrm_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = Object.assign(new URL(BASE_URL), { pathname: `/${name}` }).toString();
  const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 2 });
  await runMigrations(database);
  const { tenant } = await createTenant(database.db, { name: 'Bench' });
  const ids: string[] = [];
  for (let from = 0; from < 2000; from += 500) {
    const rows = await database.db
      .insert(people)
      .values(Array.from({ length: 500 }, (_, i) => ({ tenantId: tenant.id, fullName: `Student ${from + i}`, roles: ['student' as const], tags: ['t'], emails: [`s${from + i}@example.edu`] })))
      .returning({ id: people.id });
    ids.push(...rows.map((r) => r.id));
  }
  await database.close();

  const children: ChildProcess[] = [];
  const bases: Record<string, string> = {};
  for (const mode of Object.keys(MODES)) {
    const child = spawn(process.execPath, ['--import=tsx', 'bench/read-path.bench.ts'], {
      env: { ...process.env, READ_PATH_MODE: mode, READ_PATH_TENANT: tenant.id, DATABASE_URL: url },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    bases[mode] = await new Promise<string>((resolve) => child.stdout!.on('data', (d: Buffer) => /at (\S+)/.exec(String(d)) && resolve(/at (\S+)/.exec(String(d))![1]!)));
  }
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  const get = (url: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(url, { agent }, (res) => {
        res.resume();
        res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end();
    });
  const rates: Record<string, number> = {};
  // Round 0 warms every server (plans, connections); rounds 1.. count, interleaved.
  for (let round = 0; round <= ROUNDS; round++) {
    for (const mode of Object.keys(MODES)) {
      const deadline = Date.now() + SECONDS * 1000;
      const started = Date.now();
      let done = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (Date.now() < deadline) {
            await get(`${bases[mode]}/${ids[Math.floor(Math.random() * ids.length)]}`);
            done++;
          }
        }),
      );
      if (round > 0) rates[mode] = (rates[mode] ?? 0) + done / ((Date.now() - started) / 1000) / ROUNDS;
    }
  }
  for (const child of children) child.kill();
  agent.destroy();
  await new Promise((resolve) => setTimeout(resolve, 300));
  await admin.query(`drop database ${name} with (force)`);
  await admin.end();
  process.stdout.write(`A tenant read by id, ${ROUNDS} rounds of ${SECONDS} s, 32 connections:\n`);
  for (const [mode, what] of Object.entries(MODES)) {
    process.stdout.write(`  ${mode.padEnd(22)} ${rates[mode]!.toFixed(0).padStart(5)} req/s  ${(rates[mode]! / rates.floor!).toFixed(2)}x  (${what})\n`);
  }
}
