import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Logger } from 'pino';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** Both engines' Drizzle databases share this type, so repositories are written once. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Either the database or a transaction: what repositories accept. */
export type Executor = Db | Tx;

export interface Database {
  engine: 'postgres' | 'embedded';
  db: Db;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** Embedded engine folder; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolMax?: number;
  connectTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openEmbedded(options.dataDir);
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'informational-interviews',
  });
  // An idle client whose server went away emits 'error' on the pool; unhandled, it would
  // kill the process. The pool drops that client and opens a new one on the next checkout.
  pool.on('error', (err) => options.logger?.warn({ err: { message: err.message } }, 'idle database connection lost'));
  return {
    engine: 'postgres',
    db: drizzlePg(pool, { schema }) as unknown as Db,
    close: () => pool.end(),
  };
}

async function openEmbedded(dataDir: string): Promise<Database> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  return {
    engine: 'embedded',
    db: drizzlePglite(client, { schema }) as unknown as Db,
    close: () => client.close(),
  };
}

/** The rows of a raw `execute`: node-postgres and PGlite both answer `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
