import { openDatabase, type Database } from '../../src/db/client.js';
import { runMigrations } from '../../src/db/migrate.js';
import { TEST_DATABASE_URL, freshDatabase } from './database.js';

interface Teardown {
  teardown(fn: () => unknown): void;
}

/**
 * For the few proofs that must hold on both engines in every run: the embedded one always,
 * the server too when TEST_DATABASE_URL is set.
 */
export function engines(): { name: string; open(t: Teardown): Promise<Database> }[] {
  const embedded = {
    name: 'embedded',
    async open(t: Teardown) {
      const database = await openDatabase({ dataDir: 'memory://' });
      t.teardown(() => database.close());
      await runMigrations(database);
      return database;
    },
  };
  if (!TEST_DATABASE_URL) return [embedded];
  return [embedded, { name: 'postgres', open: async (t: Teardown) => (await freshDatabase(t)).database }];
}
