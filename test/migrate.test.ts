import t from 'tap';
import { childEnv } from './helpers/child-env.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, rowsOf } from '../src/db/client.js';
import { appliedMigrationCount, expectedMigrationCount, runMigrations } from '../src/db/migrate.js';
import { TEST_DATABASE_URL, createEmptyServerDatabase } from './helpers/database.js';

const migrate = (env: NodeJS.ProcessEnv) =>
  spawnSync('npm', ['run', '--silent', 'migrate'], { env: childEnv(env), encoding: 'utf8', timeout: 90_000 });

t.test('migrations run on the embedded engine and again as a no-op', async (t) => {
  const database = await openDatabase({ dataDir: 'memory://' });
  t.teardown(() => database.close());
  t.equal(await appliedMigrationCount(database.db), 0);
  await runMigrations(database);
  await runMigrations(database);
  t.equal(await appliedMigrationCount(database.db), expectedMigrationCount());
  const rls = rowsOf<{ n: number }>(
    await database.db.execute(sql`select count(*)::int as n from pg_class where relrowsecurity and relnamespace = 'public'::regnamespace`),
  );
  const tables = rowsOf<{ n: number }>(await database.db.execute(sql`select count(*)::int as n from pg_class where relkind = 'r' and relnamespace = 'public'::regnamespace`));
  t.equal(tables[0]?.n, 21, 'the tables of src/db/schema');
  t.equal(rls[0]?.n, 21, 'every table has row-level security');
  const forced = rowsOf<{ n: number }>(
    await database.db.execute(sql`select count(*)::int as n from pg_class where relforcerowsecurity and relnamespace = 'public'::regnamespace`),
  );
  t.equal(forced[0]?.n, 21, 'forced on every table: it binds the owner too');
});

t.test('npm run migrate on a server database, twice, and on a second database of the cluster', { skip: !TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, async (t) => {
  for (const url of [await createEmptyServerDatabase(t), await createEmptyServerDatabase(t)]) {
    const first = migrate({ DATABASE_URL: url });
    t.equal(first.status, 0, first.stderr);
    t.match(first.stdout, new RegExp(`migrations applied: ${expectedMigrationCount()} \\(postgres database\\)`));
    const second = migrate({ DATABASE_URL: url });
    t.equal(second.status, 0, second.stderr);
  }
});

t.test('npm run migrate uses DATABASE_OWNER_URL when given', { skip: !TEST_DATABASE_URL && 'needs TEST_DATABASE_URL' }, async (t) => {
  const url = await createEmptyServerDatabase(t);
  const res = migrate({ DATABASE_OWNER_URL: url, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
  t.equal(res.status, 0, res.stderr);
  t.match(res.stdout, /migrations applied: \d+ \(postgres database\)/);
});

t.test('npm run migrate on the embedded database under DATA_DIR', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'icrm-migrate-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const res = migrate({ DATABASE_URL: '', DATA_DIR: dataDir });
  t.equal(res.status, 0, res.stderr);
  t.match(res.stdout, /\(embedded database\)/);
});

t.test('npm run migrate with a bad or unreachable DATABASE_URL fails clearly', async (t) => {
  const bad = migrate({ DATABASE_URL: 'localhost:5432/db' });
  t.equal(bad.status, 1);
  t.match(bad.stderr, /DATABASE_URL: must be a postgres/);
  const unreachable = migrate({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none', DATABASE_CONNECT_TIMEOUT_MS: '1000' });
  t.equal(unreachable.status, 1);
  t.match(unreachable.stderr, /^migrate failed: /);
  const badOwner = migrate({ DATABASE_OWNER_URL: 'owner:s3cret@db' });
  t.equal(badOwner.status, 1);
  t.match(badOwner.stderr, /DATABASE_OWNER_URL: must be a postgres/);
  t.notMatch(badOwner.stderr, /s3cret/);
});
