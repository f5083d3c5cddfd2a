// Enters the tenant transaction N times in two ways, interleaved, and prints the ratio:
// one statement (set_config of tenant and role) against the earlier two (set_config, SET ROLE).
// `TEST_DATABASE_URL=postgres://… npm run bench` for the server; without it, the embedded engine.
import { sql } from 'drizzle-orm';
import { openDatabase, type Db } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { TENANT_ROLE, withTenant } from '../src/db/tenant-transaction.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);
const TENANT = '00000000-0000-4000-8000-000000000001';
const work = (tx: Parameters<Parameters<Db['transaction']>[0]>[0]) => tx.execute(sql`select count(*) from people`);

const twoStatements = (db: Db) =>
  db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${TENANT}, true)`);
    await tx.execute(sql.raw(`set local role ${TENANT_ROLE}`));
    return work(tx);
  });

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const database = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL || undefined, dataDir: 'memory://', poolMax: 1 });
await runMigrations(database);
const totals = { one: 0, two: 0 };
for (let i = 0; i < 200; i++) await withTenant(database.db, TENANT, work); // warm-up
for (let i = 0; i < ROUNDS; i++) {
  totals.one += await time(() => withTenant(database.db, TENANT, work));
  totals.two += await time(() => twoStatements(database.db));
}
await database.close();
const per = (ms: number) => `${((ms / ROUNDS) * 1000).toFixed(0)} µs`;
process.stdout.write(
  `${database.engine}: ${ROUNDS} transactions each; one statement ${per(totals.one)}, two statements ${per(totals.two)}; ` +
    `ratio one/two = ${(totals.one / totals.two).toFixed(2)}\n`,
);
