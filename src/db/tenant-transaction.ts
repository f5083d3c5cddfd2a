import { sql } from 'drizzle-orm';
import type { Db, Tx } from './client.js';

/** The role that tenant work runs under: it has no BYPASSRLS and owns no table (see drizzle/). */
export const TENANT_ROLE = 'icrm_app';

/**
 * Runs `work` in a transaction under the restricted role with the tenant set locally, so
 * row-level security confines every statement to one tenant even if a filter is forgotten.
 * Both settings end with the transaction, so a pooled connection carries nothing over.
 */
export function withTenant<T>(db: Db, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    // One round trip: `role` is the setting SET LOCAL ROLE changes, so set_config(..., true) is the same.
    await tx.execute(sql`select set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${TENANT_ROLE}, true)`);
    return work(tx);
  });
}
