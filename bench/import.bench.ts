// `npm run bench:import` (needs TEST_DATABASE_URL and psql): 100,000 people rows (BENCH_ROWS)
// from a fixed seed, loaded once with `psql \copy` into a table shaped like `people` (its
// columns and defaults: the reference), and once into one with people's indexes and
// constraints as well (what any write into `people` must maintain: the database's own floor),
// then imported through POST /v1/imports/people into an empty tenant, then imported again
// (every row unchanged). Prints rows/s of each, their ratios to each COPY, and the service's
// resident memory when idle and at its peak.
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { createApiKey } from '../src/modules/api-keys/api-keys.service.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';
import { benchDatabase, serverUrlOrExit, startService } from './harness.js';

const BASE_URL = serverUrlOrExit('bench:import');
const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

// A fixed seed: the same rows on every run (a linear congruential generator).
let seed = 20261202;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
const FIRST = ['Ana', 'Ben', 'Cora', 'Dan', 'Eve', 'Finn', 'Gia', 'Hugo', 'Ines', 'Jon'];
const LAST = ['Silva', 'Okafor', 'Nguyen', 'Müller', 'García', 'Smith', 'Kowalski', 'Haddad'];
const PROGRAMS = ['Biology', 'Computer Science', 'History', 'Mechanical Engineering', 'Nursing'];
const ROLES = [['student'], ['alumnus'], ['student', 'mentor'], ['professional']] as const;

const dir = mkdtempSync(join(tmpdir(), 'icrm-import-bench-'));
const csvPath = join(dir, 'people.csv');
const ndjsonPath = join(dir, 'people.ndjson');
{
  const csv: string[] = ['external_id,full_name,emails,roles,program,graduation_year,tags'];
  const ndjson: string[] = [];
  for (let i = 1; i <= ROWS; i++) {
    const name = `${pick(FIRST)} ${pick(LAST)} ${i}`;
    const email = `person${i}@example.edu`;
    const roles = pick(ROLES);
    const program = pick(PROGRAMS);
    const year = 2000 + Math.floor(random() * 30);
    const tags = random() < 0.5 ? ['fall-intake'] : [];
    csv.push([`stu-${i}`, `"${name}"`, `"{${email}}"`, `"{${roles.join(',')}}"`, `"${program}"`, year, `"{${tags.join(',')}}"`].join(','));
    ndjson.push(JSON.stringify({ externalId: `stu-${i}`, fullName: name, emails: [email], roles, program, graduationYear: year, tags }));
  }
  writeFileSync(csvPath, csv.join('\n') + '\n');
  writeFileSync(ndjsonPath, ndjson.join('\n') + '\n');
}
const bytes = readFileSync(ndjsonPath).length;

const { url, drop } = await benchDatabase(BASE_URL);
const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 2 });
await runMigrations(database);
const { tenant } = await createTenant(database.db, { name: 'Bench' });
const importer = await createApiKey(database.db, { tenantId: tenant.id, scopes: ['import', 'read'] });
await database.close();

// COPY: the same rows into a table shaped like people, as the reference.
const { default: pg } = await import('pg');
const client = new pg.Client({ connectionString: url });
await client.connect();
const copyInto = async (table: string, like: string) => {
  await client.query(`create table ${table} (like people ${like})`);
  await client.query(`alter table ${table} alter column tenant_id set default '${tenant.id}'`);
  const begun = process.hrtime.bigint();
  execFileSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `\\copy ${table} (external_id, full_name, emails, roles, program, graduation_year, tags) from '${csvPath}' with (format csv, header)`]);
  const seconds = Number(process.hrtime.bigint() - begun) / 1e9;
  await client.query(`drop table ${table}`);
  return seconds;
};
const copySeconds = await copyInto('people_copy', 'including defaults');
// Its GIN indexes (tags, roles, the search text), its unique external ID and its checks.
const indexedCopySeconds = await copyInto('people_indexed', 'including all');
await client.query('checkpoint');
await client.end();

const service = await startService(url, { REQUEST_TIMEOUT_MS: '3600000' });
const importOnce = () =>
  new Promise<{ status: number; body: string; seconds: number }>((resolve, reject) => {
    const begun = process.hrtime.bigint();
    const req = request(`${service.base}/v1/imports/people`, {
      method: 'POST',
      headers: { authorization: `Bearer ${importer.secret}`, 'content-type': 'application/x-ndjson', 'content-length': bytes },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, seconds: Number(process.hrtime.bigint() - begun) / 1e9 }));
    });
    req.on('error', reject);
    createReadStream(ndjsonPath).pipe(req);
  });

const memory = (field: 'VmRSS' | 'VmHWM') => {
  const status = readFileSync(`/proc/${service.child.pid}/status`, 'utf8');
  return Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)![1]) / 1024;
};
const idleRss = memory('VmRSS');
const first = await importOnce();
const second = await importOnce();
const rss = memory('VmHWM');
for (const [name, run] of [
  ['first', first],
  ['again', second],
] as const) {
  if (run.status !== 201) throw new Error(`${name} import: ${run.status} ${run.body.slice(0, 300)}`);
  const counts = JSON.parse(run.body).counts;
  process.stdout.write(`${name} import: ${JSON.stringify(counts)}\n`);
}
service.child.kill('SIGTERM');
await new Promise((resolve) => setTimeout(resolve, 500));
await drop();
rmSync(dir, { recursive: true, force: true });

const rate = (seconds: number) => ROWS / seconds;
const ratios = (seconds: number, target: string) =>
  `${(rate(seconds) / rate(copySeconds)).toFixed(2)}x COPY (target ${target}); ${(rate(seconds) / rate(indexedCopySeconds)).toFixed(2)}x COPY with people's indexes`;
process.stdout.write(
  [
    `${ROWS} people rows (${(bytes / 1024 / 1024).toFixed(1)} MB of NDJSON), one run:`,
    `  psql \\copy, a table of people's columns:       ${rate(copySeconds).toFixed(0)} rows/s (${copySeconds.toFixed(2)} s)`,
    `  psql \\copy, with people's indexes and checks:  ${rate(indexedCopySeconds).toFixed(0)} rows/s (${indexedCopySeconds.toFixed(2)} s)`,
    `  import, new rows:            ${rate(first.seconds).toFixed(0)} rows/s (${first.seconds.toFixed(2)} s); ${ratios(first.seconds, '0.5x')}`,
    `  import again, all unchanged: ${rate(second.seconds).toFixed(0)} rows/s (${second.seconds.toFixed(2)} s); ${ratios(second.seconds, '0.8x')}`,
    `  service RSS: ${idleRss.toFixed(0)} MB idle, ${rss.toFixed(0)} MB at its peak (target: under 300 MB for 1,000,000 rows)`,
    '',
  ].join('\n'),
);
