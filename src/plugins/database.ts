import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
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
        logger: app.log,
      }));
    if (owned && db.engine === 'embedded') await runMigrations(db);
    app.decorate('database', db);
    if (owned) app.addHook('onClose', () => db.close());
  },
  { name: 'database' },
);
