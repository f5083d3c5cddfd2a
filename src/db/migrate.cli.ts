// `npm run migrate`: applies drizzle/ to DATABASE_OWNER_URL, else DATABASE_URL (or the embedded database under DATA_DIR).
import { loadConfig } from '../config.js';
import { openDatabase } from './client.js';
import { appliedMigrationCount, runMigrations } from './migrate.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const database = await openDatabase({
    // The tables' owner when given: the service's own role (DATABASE_URL) may own nothing.
    databaseUrl: config.DATABASE_OWNER_URL ?? config.DATABASE_URL,
    dataDir: config.DATA_DIR,
    connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
    poolMax: 1,
  });
  try {
    await runMigrations(database);
    const applied = await appliedMigrationCount(database.db);
    process.stdout.write(`migrations applied: ${applied} (${database.engine} database)\n`);
  } finally {
    await database.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`migrate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
