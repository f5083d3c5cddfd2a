import { sql } from 'drizzle-orm';
import pg from 'pg';
import { executorOn, type Db, type Executor, type Tx } from './client.js';

/** The role that tenant work runs under: it has no BYPASSRLS and owns no table (see drizzle/). */
export const TENANT_ROLE = 'icrm_app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const poolOf = (db: Db): pg.Pool | null => {
  const client = (db as unknown as { $client?: unknown }).$client;
  return client instanceof pg.Pool ? client : null;
};
const onServer = (db: Db) => poolOf(db) !== null;

// The statement that enters a tenant: BEGIN and both settings, as one simple query.
const enter = (tenantId: string, mode: 'read write' | 'read only') =>
  `${mode}; select set_config('app.tenant_id', '${tenantId.toLowerCase()}', true), set_config('role', '${TENANT_ROLE}', true)`;

/**
 * Runs `work` in a transaction under the restricted role with the tenant set locally, so
 * row-level security confines every statement to one tenant even if a filter is forgotten.
 * Both settings end with the transaction, so a pooled connection carries nothing over.
 */
export function withTenant<T>(db: Db, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error('withTenant: the tenant is not a UUID');
  if (onServer(db)) {
    // BEGIN and both settings in one round trip. node-postgres sends a statement without
    // parameters as a simple query, which may hold several, and Drizzle writes a transaction's
    // access mode right after BEGIN: the settings ride along there. What is spliced in is a
    // UUID checked above and a constant, nothing else. (`role` is what SET LOCAL ROLE sets.)
    return db.transaction(work, { accessMode: enter(tenantId, 'read write') as 'read write' });
  }
  // The embedded engine is in-process (no round trip to save) and takes one statement at a time.
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${TENANT_ROLE}, true)`);
    return work(tx);
  });
}

/**
 * `withTenant` for work that only reads: a READ ONLY transaction whose COMMIT is sent but not
 * waited for. The connection goes back to the pool at once, and its next user's BEGIN follows
 * the COMMIT on the same socket: a read holds a connection for two round trips, not three.
 * (Nothing was written, so there is nothing for the COMMIT to confirm.)
 */
export async function withTenantRead<T>(db: Db, tenantId: string, work: (tx: Executor) => Promise<T>): Promise<T> {
  if (!UUID.test(tenantId)) throw new Error('withTenant: the tenant is not a UUID');
  const pool = poolOf(db);
  if (!pool) return withTenant(db, tenantId, work);
  const client = await pool.connect();
  let result: T;
  try {
    await client.query(`begin ${enter(tenantId, 'read only')}`);
    result = await work(executorOn(pool, client));
  } catch (err) {
    // A client whose connection failed is discarded (release with the error); a failed query leaves it usable.
    const broken = await client.query('rollback').then(
      () => undefined,
      (rollbackError: Error) => rollbackError,
    );
    client.release(broken);
    throw err;
  }
  client.query('commit').catch(() => undefined);
  client.release();
  return result;
}
