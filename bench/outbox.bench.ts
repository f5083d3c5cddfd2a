// What the change feed's outbox costs a write, in one process on one database: people written
// with the event triggers on and off (ALTER TABLE … DISABLE TRIGGER), in interleaved rounds so
// the machine's drift cancels out. Two paths: one create per person (a transaction each, what
// POST /v1/people does) and upsertMany in batches of 500 (what the bulk import stands on).
// `TEST_DATABASE_URL=postgres://… npm run bench:outbox`; without it, the embedded engine.
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { RequestContext } from '../src/context.js';
import { openDatabase, rowsOf } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { withTenant } from '../src/db/tenant-transaction.js';
import { createServices } from '../src/modules/index.js';
import { peopleRepository } from '../src/modules/people/people.repository.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';

const SINGLES = Number(process.env.BENCH_ROWS ?? 500);
const BATCHES = 10;
const BATCH = 500;
const ROUNDS = 3;

const database = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL || undefined, dataDir: 'memory://', poolMax: 2 });
await runMigrations(database);
const services = createServices(database.db);
const { tenant } = await createTenant(database.db, { name: `Bench outbox ${Date.now()}`, questionBank: false });
const ctx = { tenantId: tenant.id, apiKey: { id: randomUUID(), name: 'bench', scopes: ['read', 'write'] }, requestId: 'bench', log: console } as unknown as RequestContext;
const person = (run: string, i: number) => ({ externalId: `${run}-${i}`, fullName: `Student ${i}`, roles: ['student'], program: 'BSc Biology', graduationYear: 2027, tags: ['term-1'] });
const triggers = (on: boolean) =>
  database.db.execute(sql.raw(`alter table people ${['insert', 'update', 'delete'].map((op) => `${on ? 'enable' : 'disable'} trigger people_events_${op}`).join(', ')}`));

async function timed(run: () => Promise<void>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

const totals = { on: { single: 0, batch: 0 }, off: { single: 0, batch: 0 } };
for (let round = 0; round < ROUNDS; round++) {
  for (const mode of round % 2 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
    await triggers(mode === 'on');
    const run = `${mode}-${round}`;
    totals[mode].single += await timed(async () => {
      for (let i = 0; i < SINGLES; i++) await services.people.create(ctx, person(`${run}-s`, i));
    });
    totals[mode].batch += await timed(async () => {
      for (let b = 0; b < BATCHES; b++) {
        const rows = Array.from({ length: BATCH }, (_, n) => person(`${run}-b`, b * BATCH + n));
        await withTenant(database.db, tenant.id, (tx) => peopleRepository.upsertMany(tx, tenant.id, rows));
      }
    });
  }
}
await triggers(true);
const events = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from events where tenant_id = ${tenant.id}`))[0]!.n;
await database.close();
const rate = (rows: number, seconds: number) => Math.round((rows * ROUNDS) / seconds);
const line = (what: string, rows: number, key: 'single' | 'batch') =>
  `  ${what}: ${rate(rows, totals.off[key])} rows/s without the outbox, ${rate(rows, totals.on[key])} with it: ${(totals.off[key] / totals.on[key]).toFixed(2)}x\n`;
process.stdout.write(
  `${database.engine}, ${ROUNDS} interleaved rounds, ${events} events written:\n` +
    line(`one create per person (${SINGLES} a round)`, SINGLES, 'single') +
    line(`upsertMany in batches of ${BATCH} (${BATCHES * BATCH} a round)`, BATCHES * BATCH, 'batch'),
);
