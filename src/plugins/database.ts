import fp from 'fastify-plugin';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config.js';
import { openDatabase, rowsOf, type Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';

declare module 'fastify' {
  interface FastifyInstance {
    database: Database;
  }
}

export interface DatabasePluginOptions {
  config: Config;
  /** A database opened by the caller (tests, CLI); the app then leaves closing it to them. */
  database?: Database;
}

/**
 * A superuser (or a role with BYPASSRLS) is never bound by row-level security: a statement
 * that leaves the restricted role (an injected RESET ROLE) would see every tenant.
 */
export async function warnIfPrivileged(database: Database, log: Pick<FastifyBaseLogger, 'warn'>): Promise<boolean> {
  if (database.engine !== 'postgres') return false;
  const result = await database.db.execute(sql`select current_user as name, rolsuper as super, rolbypassrls as bypass from pg_roles where rolname = current_user`);
  const role = rowsOf<{ name: string; super: boolean; bypass: boolean }>(result)[0];
  if (!role?.super && !role?.bypass) return false;
  log.warn(
    { role: role.name },
    'the service connects to PostgreSQL as a superuser or a role with BYPASSRLS: row-level security holds only while ' +
      'tenant work keeps its restricted role. Connect as a login role that owns nothing (README: Security model).',
  );
  return true;
}

/** Opens the configured engine. The embedded one is migrated here: it has no separate step. */
export default fp<DatabasePluginOptions>(
  async (app, { config, database }) => {
    const owned = !database;
    const db =
      database ??
      (await openDatabase({
        databaseUrl: config.DATABASE_URL,
        dataDir: config.DATA_DIR,
        poolMax: config.DATABASE_POOL_MAX,
        connectTimeoutMs: config.DATABASE_CONNECT_TIMEOUT_MS,
        statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
        lockTimeoutMs: config.DATABASE_LOCK_TIMEOUT_MS,
        idleInTransactionTimeoutMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
        preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
        logger: app.log,
      }));
    if (owned && db.engine === 'embedded') await runMigrations(db);
    app.decorate('database', db);
    if (owned) {
      app.addHook('onClose', () => db.close());
      // A server that is down at start is not fatal (readiness says so); only a reachable one is checked.
      await warnIfPrivileged(db, app.log).catch(() => false);
    }
  },
  { name: 'database' },
);
