import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';
import type { Logger } from 'pino';
import { databaseErrorSummary } from './db-error-summary.js';
import { OneTripRead } from './one-trip-read.js';
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
  /**
   * For readiness probes: its own connection on a server, so a busy pool (every connection
   * in use) still answers "the database is there". The embedded engine has one connection.
   */
  probe: Db;
  close(): Promise<void>;
}

/** Server-side bounds on the app's sessions, in milliseconds; 0 or absent leaves the server's default. */
export interface SessionTimeouts {
  statementTimeoutMs?: number;
  lockTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
}

export interface DatabaseOptions extends SessionTimeouts {
  databaseUrl?: string;
  /** Embedded engine folder; `memory://` keeps it in memory (tests). */
  dataDir: string;
  poolMax?: number;
  connectTimeoutMs?: number;
  logger?: Pick<Logger, 'warn' | 'error'>;
  /** Called with every statement's SQL (tests count round trips with it). */
  onQuery?: (sql: string) => void;
  /**
   * Reads as one message with server-side prepared statements (see one-trip-read.ts). Off
   * behind a pooler in transaction mode, where a connection's prepared statements do not follow
   * the session. On unless false.
   */
  preparedStatements?: boolean;
}

const queryLogger = (options: DatabaseOptions) => (options.onQuery ? { logger: { logQuery: (query: string) => options.onQuery!(query) } } : {});

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  return openEmbedded(options);
}

function newPool(url: string, options: DatabaseOptions, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
    idleTimeoutMillis: 30_000,
    application_name: 'informational-interviews',
    // Sent at connection start-up: they bound every statement of the session, tenant work or not.
    statement_timeout: options.statementTimeoutMs || undefined,
    lock_timeout: options.lockTimeoutMs || undefined,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs || undefined,
  });
  // pg-pool listens for 'error' only on idle clients and drops the listener when it hands a
  // client out. A checked-out client whose backend is killed (failover, pooler restart, a DBA's
  // pg_terminate_backend) fails its query, then emits 'error' itself: unheard, that would end
  // the process. Every client gets a listener for its whole life; the failed query still
  // rejects, the request answers 503, and the pool discards the client on release.
  pool.on('connect', (client) => {
    client.on('error', (err) => options.logger?.warn({ err: databaseErrorSummary(err) }, 'database connection lost'));
  });
  // An idle client whose server went away emits 'error' on the pool; the pool drops that
  // client and opens a new one on the next checkout.
  pool.on('error', (err) => options.logger?.warn({ err: databaseErrorSummary(err) }, 'idle database connection lost'));
  return pool;
}

// Each pool's options (statement log, prepared statements), for the databases made over its connections.
const poolOptions = new WeakMap<pg.Pool, DatabaseOptions>();
const executors = new WeakMap<pg.PoolClient, Executor>();
const oneTripReads = new WeakMap<pg.PoolClient, { read: OneTripRead; executor: Executor }>();

/** A Drizzle database over one checked-out connection of `pool` (made once per connection). */
export function executorOn(pool: pg.Pool, client: pg.PoolClient): Executor {
  let executor = executors.get(client);
  if (!executor) {
    executor = drizzlePg(client, { schema, ...queryLogger(poolOptions.get(pool) ?? { dataDir: '' }) }) as unknown as Executor;
    executors.set(client, executor);
  }
  return executor;
}

/**
 * The one-trip read over a checked-out connection of `pool` and a Drizzle database over it
 * (made once per connection), or null when the pool's prepared statements are off.
 */
export function oneTripReadOn(pool: pg.Pool, client: pg.PoolClient): { read: OneTripRead; executor: Executor } | null {
  const options = poolOptions.get(pool);
  if (!options?.preparedStatements) return null;
  let made = oneTripReads.get(client);
  if (!made) {
    const read = new OneTripRead(client);
    made = { read, executor: drizzlePg(read as unknown as pg.PoolClient, { schema, ...queryLogger(options) }) as unknown as Executor };
    oneTripReads.set(client, made);
  }
  return made;
}

function openPostgres(url: string, options: DatabaseOptions): Database {
  const pool = newPool(url, options, options.poolMax ?? 10);
  poolOptions.set(pool, { ...options, preparedStatements: options.preparedStatements ?? true });
  // One connection of its own for readiness, opened on demand and closed when idle.
  const probePool = newPool(url, { ...options, connectTimeoutMs: Math.min(options.connectTimeoutMs ?? 5000, 2000) }, 1);
  return {
    engine: 'postgres',
    db: drizzlePg(pool, { schema, ...queryLogger(options) }) as unknown as Db,
    probe: drizzlePg(probePool, { schema }) as unknown as Db,
    close: async () => {
      await Promise.all([pool.end(), probePool.end()]);
    },
  };
}

async function openEmbedded(options: DatabaseOptions): Promise<Database> {
  const { dataDir } = options;
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create(dataDir);
  const db = drizzlePglite(client, { schema, ...queryLogger(options) }) as unknown as Db;
  return { engine: 'embedded', db, probe: db, close: () => client.close() };
}

/** The rows of a raw `execute`: node-postgres and PGlite both answer `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
