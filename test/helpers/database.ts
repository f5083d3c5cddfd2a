import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/client.js';
import { MIGRATIONS_FOLDER, runMigrations } from '../../src/db/migrate.js';

/** With TEST_DATABASE_URL: the PostgreSQL server; without it: the embedded engine in memory. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const engineName = TEST_DATABASE_URL ? 'postgres' : 'embedded';

interface Teardown {
  teardown(fn: () => unknown): void;
}

const withDatabase = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

// The template is named after the migrations it holds: a changed migration makes a new one.
function templateName(): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith('.sql')).sort()) {
    hash.update(readFileSync(`${MIGRATIONS_FOLDER}/${file}`));
  }
  return `icrm_tpl_${hash.digest('hex').slice(0, 12)}`;
}

async function adminQuery<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Migrates a template once per migration set; test files running in parallel wait on a lock. */
async function ensureTemplate(): Promise<string> {
  const name = templateName();
  await adminQuery(async (client) => {
    await client.query('select pg_advisory_lock(727274)');
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount) return;
      const building = `${name}_building`;
      await client.query(`drop database if exists ${building} with (force)`);
      await client.query(`create database ${building}`);
      const database = await openDatabase({ databaseUrl: withDatabase(TEST_DATABASE_URL!, building), dataDir: '', poolMax: 1 });
      try {
        await runMigrations(database);
      } finally {
        await database.close();
      }
      // A rename is atomic: no test ever copies a half-migrated template.
      await client.query(`alter database ${building} rename to ${name}`);
    } finally {
      await client.query('select pg_advisory_unlock(727274)');
    }
  });
  return name;
}

/** Creates an empty database on the server (no migrations), dropped at teardown. Returns its URL. */
export async function createEmptyServerDatabase(t: Teardown, template = 'template1'): Promise<string> {
  const name = `icrm_test_${randomBytes(6).toString('hex')}`;
  await adminQuery((client) => client.query(`create database ${name} template ${template}`));
  t.teardown(() => adminQuery((client) => client.query(`drop database if exists ${name} with (force)`)));
  return withDatabase(TEST_DATABASE_URL!, name);
}

/** A fresh, migrated database for one test file, on the engine this run tests. */
export async function freshDatabase(t: Teardown, options: { onQuery?: (sql: string) => void } = {}): Promise<{ database: Database; url?: string }> {
  if (TEST_DATABASE_URL) {
    const url = await createEmptyServerDatabase(t, await ensureTemplate());
    const database = await openDatabase({ databaseUrl: url, dataDir: '', poolMax: 5, onQuery: options.onQuery });
    t.teardown(() => database.close());
    return { database, url };
  }
  const database = await openDatabase({ dataDir: 'memory://', onQuery: options.onQuery });
  t.teardown(() => database.close());
  await runMigrations(database);
  return { database };
}
