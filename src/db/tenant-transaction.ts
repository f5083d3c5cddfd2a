import { sql } from 'drizzle-orm';
import pg from 'pg';
import { executorOn, oneTripReadOn, type Db, type Executor, type Tx } from './client.js';

/** The role that tenant work runs under: it has no BYPASSRLS and owns no table (see drizzle/). */
export const TENANT_ROLE = 'icrm_app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const poolOf = (db: Db): pg.Pool | null => {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
};

// What enters a tenant, after BEGIN: the access mode and both settings, for one simple query.
// SET LOCAL, not set_config(): no result row to describe, parse and throw away.
const enter = (tenantId: string, mode: 'read write' | 'read only') =>
  `${mode}; set local app.tenant_id = '${tenantId.toLowerCase()}'; set local role ${TENANT_ROLE}`;

/**
 * Runs `work` in a transaction under the restricted role with the tenant set locally, so
 * row-level security confines every statement to one tenant even if a filter is forgotten.
 * Both settings end with the transaction, so a pooled connection carries nothing over.
 */
export function withTenant<T>(db: Db, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error('withTenant: the tenant is not a UUID');
  const pool = poolOf(db);
  if (pool) return withTenantOnServer(pool, tenantId, work);
  // The embedded engine is in-process (no round trip to save) and takes one statement at a time.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${TENANT_ROLE}, true)`);
    return work(tx);
  });
}

async function withTenantOnServer<T>(pool: pg.Pool, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  // The connection is checked out here, not by Drizzle: Drizzle's transaction over a pool
  // sends BEGIN outside its try, so a BEGIN that fails (a connection killed while idle) would
  // never give the connection back, and a few such kills would empty the pool. (A connection
  // that failed is dropped by the pool on release.)
  const client = await pool.connect();
  let result: T;
  try {
    // BEGIN and both settings in one round trip. node-postgres sends a statement without
    // parameters as a simple query, which may hold several, and Drizzle writes a transaction's
    // access mode right after BEGIN: the settings ride along there. What is spliced in is a
    // UUID checked above and a constant, nothing else.
    result = await (executorOn(pool, client) as Db).transaction(work, { accessMode: enter(tenantId, 'read write') as 'read write' });
  } catch (err) {
    await endFailed(client);
    throw err;
  }
  client.release();
  return result;
}

/**
 * Gives back a connection whose transaction failed, ended: a BEGIN that failed after opening
 * the transaction (a setting refused) left it aborted. One that cannot roll back is dropped.
 */
async function endFailed(client: pg.PoolClient, drop?: Error): Promise<void> {
  const broken = await client.query('rollback').then(
    () => drop,
    (rollbackError: Error) => rollbackError,
  );
  client.release(broken);
}

/**
 * `withTenant` for work that only reads: a READ ONLY transaction whose COMMIT is sent but not
 * waited for. The connection goes back to the pool at once, and its next user's BEGIN follows
 * the COMMIT on the same socket. (Nothing was written, so there is nothing for the COMMIT to
 * confirm.) With prepared statements on, BEGIN and the settings ride with the first statement
 * (one-trip-read.ts): a read holds its connection for one round trip; otherwise for two. Work
 * that makes one statement says so (`oneStatement`), and COMMIT rides in the same message.
 */
export async function withTenantRead<T>(
  db: Db,
  tenantId: string,
  work: (tx: Executor) => Promise<T>,
  options: { oneStatement?: boolean } = {},
): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error('withTenant: the tenant is not a UUID');
  const pool = poolOf(db);
  if (!pool) return withTenant(db, tenantId, work);
  const client = await pool.connect();
  const oneTrip = oneTripReadOn(pool, client);
  let result: T;
  try {
    if (oneTrip) oneTrip.read.begin(`begin ${enter(tenantId, 'read only')}`, options);
    else await client.query(`begin ${enter(tenantId, 'read only')}`);
    result = await work(oneTrip?.executor ?? executorOn(pool, client));
  } catch (err) {
    if (oneTrip?.read.state === 'unsent') {
      client.release();
      throw err;
    }
    // A failed query leaves the connection usable, unless a failed message held a PREPARE
    // whose outcome is unknown: that connection is dropped.
    await endFailed(client, oneTrip?.read.uncertain ? new Error('a prepared statement may or may not exist') : undefined);
    throw err;
  }
  if (!oneTrip || oneTrip.read.state === 'open') client.query('commit').catch(() => undefined);
  client.release();
  return result;
}

const SNAPSHOT_ID = /^[0-9A-F]+-[0-9A-F]+(-[0-9]+)?$/i;
/** How long a read waits for a second connection before doing its parts on one. */
const SECOND_CONNECTION_MS = 25;

/**
 * Read-only tenant work in parts that run at once, each on its own connection, all in one
 * snapshot: the first part's transaction exports it (pg_export_snapshot) and the others import
 * it (SET TRANSACTION SNAPSHOT), so the parts see exactly the same data. Where no second
 * connection is free within a moment (a busy pool: waiting could deadlock requests that each
 * hold one), and on the embedded engine (one connection), the parts run in turn in one
 * transaction. Answers in the order of `parts`.
 */
export async function withTenantReadParts<T>(db: Db, tenantId: string, parts: ((tx: Executor) => Promise<T>)[]): Promise<T[]> {
  if (!UUID.test(tenantId)) throw new Error('withTenant: the tenant is not a UUID');
  const pool = poolOf(db);
  const inTurn = () => withTenantRead(db, tenantId, async (tx) => {
    const results: T[] = [];
    for (const part of parts) results.push(await part(tx));
    return results;
  });
  if (!pool || parts.length < 2) return inTurn();
  // BEGIN and the tenant's settings as every read has them (`enter`). The parts are the
  // parallelism: each runs without parallel workers of its own, which would only compete for
  // the same cores. SET TRANSACTION SNAPSHOT must come before the first query.
  const begin = (snapshot = '') =>
    `begin isolation level repeatable read ${enter(tenantId, 'read only')}; ${snapshot && `set transaction snapshot '${snapshot}'; `}set local max_parallel_workers_per_gather = 0`;
  const first = await pool.connect();
  const clients: pg.PoolClient[] = [first];
  try {
    await first.query(begin());
    const snapshot = (await first.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
    if (!SNAPSHOT_ID.test(snapshot)) throw new Error('an exported snapshot id of an unknown shape');
    for (let i = 1; i < parts.length; i++) {
      const next = await connectWithin(pool, SECOND_CONNECTION_MS);
      if (!next) break;
      clients.push(next);
      await next.query(begin(snapshot));
    }
  } catch (err) {
    await Promise.all(clients.map((c) => endFailed(c)));
    throw err;
  }
  // Parts beyond the connections obtained run after the others on the first one.
  const run = async (client: pg.PoolClient, mine: number[]) => {
    const out: [number, T][] = [];
    for (const i of mine) out.push([i, await parts[i]!(executorOn(pool, client))]);
    return out;
  };
  const shares = clients.map((_, c) => parts.map((_p, i) => i).filter((i) => i % clients.length === c));
  let results: [number, T][][];
  try {
    results = await Promise.all(clients.map((client, c) => run(client, shares[c]!)));
  } catch (err) {
    await Promise.all(clients.map((c) => endFailed(c)));
    throw err;
  }
  for (const client of clients) {
    client.query('commit').catch(() => undefined);
    client.release();
  }
  const answers: T[] = [];
  for (const [i, value] of results.flat()) answers[i] = value;
  return answers;
}

/** A connection of the pool if one comes within `ms`; otherwise null (and one that comes later goes straight back). */
async function connectWithin(pool: pg.Pool, ms: number): Promise<pg.PoolClient | null> {
  let timer: NodeJS.Timeout | undefined;
  const connecting = pool.connect();
  const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  const winner = await Promise.race([connecting, timeout]);
  clearTimeout(timer);
  if (winner) return winner;
  connecting.then((client) => client.release(), () => undefined);
  return null;
}
