// 5,000 people written two ways, in one process: one create per person (a transaction each,
// what a script calling POST /v1/people does) against the repository's upsertMany in batches
// of 500 (what the bulk import stands on). Prints rows/s of each and the ratio.
// `TEST_DATABASE_URL=postgres://… npm run bench` for the server; without it, the embedded engine.
import { randomUUID } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import type { RequestContext } from '../src/context.js';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { people } from '../src/db/schema/index.js';
import { withTenant } from '../src/db/tenant-transaction.js';
import { createServices } from '../src/modules/index.js';
import { peopleRepository } from '../src/modules/people/people.repository.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 5000);
const BATCH = 500;

const database = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL || undefined, dataDir: 'memory://', poolMax: 2 });
await runMigrations(database);
const services = createServices(database.db);
const person = (run: string, i: number) => ({ externalId: `${run}-${i}`, fullName: `Student ${i}`, roles: ['student'], program: 'BSc Biology', graduationYear: 2027, tags: ['term-1'] });

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const { tenant: single } = await createTenant(database.db, { name: `Bench single ${Date.now()}` });
const ctx = { tenantId: single.id, apiKey: { id: randomUUID(), name: 'bench', scopes: ['read', 'write'] }, requestId: 'bench', log: console } as unknown as RequestContext;
const one = await timed(async () => {
  for (let i = 0; i < ROWS; i++) await services.people.create(ctx, person('single', i));
});

const { tenant: batched } = await createTenant(database.db, { name: `Bench batch ${Date.now()}` });
const many = await timed(async () => {
  for (let from = 0; from < ROWS; from += BATCH) {
    const rows = Array.from({ length: Math.min(BATCH, ROWS - from) }, (_, n) => person('batch', from + n));
    await withTenant(database.db, batched.id, (tx) => peopleRepository.upsertMany(tx, batched.id, rows));
  }
});

const stored = async (tenantId: string) => Number((await database.db.select({ n: count() }).from(people).where(eq(people.tenantId, tenantId)))[0]!.n);
if ((await stored(single.id)) !== ROWS || (await stored(batched.id)) !== ROWS) throw new Error('not every row was written');
await database.close();
const rate = (seconds: number) => `${Math.round(ROWS / seconds)} rows/s`;
process.stdout.write(
  `${database.engine}: ${ROWS} people; one create each ${rate(one)}, upsertMany in batches of ${BATCH} ${rate(many)}; ratio ${(one / many).toFixed(1)}x\n`,
);
