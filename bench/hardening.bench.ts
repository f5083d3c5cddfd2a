// What the hardening costs on the hot path, as ratios of interleaved runs in one process:
// 1. the key lookup through icrm_find_api_key (which names the key for row-level security)
//    against the plain indexed select it replaced;
// 2. an authenticated GET /v1/tenant with the budgets on (per key, in memory) against off.
// `TEST_DATABASE_URL=postgres://… npm run bench` for the server; without it, the embedded engine.
import { sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { runMigrations } from '../src/db/migrate.js';
import { createTenant } from '../src/modules/tenants/tenants.service.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2000);

async function time(run: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
const per = (ms: number) => `${((ms / ROUNDS) * 1000).toFixed(0)} µs`;

const database = await openDatabase({ databaseUrl: process.env.TEST_DATABASE_URL || undefined, dataDir: 'memory://', poolMax: 2 });
await runMigrations(database);
const { apiKey } = await createTenant(database.db, { name: `Bench ${Date.now()}` });
const prefix = apiKey.secret.slice(0, 16);

const lookup = { fn: 0, plain: 0 };
const viaFunction = () => database.db.execute(sql`select * from icrm_find_api_key(${prefix}) limit 1`);
// The earlier lookup; it sees the row only because the bench connects as the superuser.
const plainSelect = () => database.db.execute(sql`select * from api_keys where prefix = ${prefix} limit 1`);
for (let i = 0; i < 200; i++) await Promise.all([viaFunction(), plainSelect()]);
for (let i = 0; i < ROUNDS; i++) {
  lookup.fn += await time(viaFunction);
  lookup.plain += await time(plainSelect);
}

const silent = { LOG_LEVEL: 'silent' };
const limited = await buildApp(loadConfig({ ...silent, RATE_LIMIT_PER_MINUTE: '1000000' }), { database });
const unlimited = await buildApp(loadConfig({ ...silent, RATE_LIMIT_PER_MINUTE: '0' }), { database });
const headers = { authorization: `Bearer ${apiKey.secret}` };
const request = { on: 0, off: 0 };
for (let i = 0; i < 200; i++) {
  await limited.inject({ url: '/v1/tenant', headers });
  await unlimited.inject({ url: '/v1/tenant', headers });
}
for (let i = 0; i < ROUNDS; i++) {
  request.on += await time(() => limited.inject({ url: '/v1/tenant', headers }));
  request.off += await time(() => unlimited.inject({ url: '/v1/tenant', headers }));
}
await limited.close();
await unlimited.close();
await database.close();

process.stdout.write(
  `${database.engine}: ${ROUNDS} rounds each\n` +
    `  key lookup: icrm_find_api_key ${per(lookup.fn)}, plain select ${per(lookup.plain)}; ratio ${(lookup.fn / lookup.plain).toFixed(2)}\n` +
    `  GET /v1/tenant: budgets on ${per(request.on)}, off ${per(request.off)}; ratio ${(request.on / request.off).toFixed(2)}\n`,
);
