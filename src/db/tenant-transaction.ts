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
