import { randomBytes, randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db, Executor } from '../../db/client.js';
import { tenants } from '../../db/schema/index.js';
import { withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { requireScope, type RequestContext } from '../../context.js';
import { createApiKey, type NewApiKey } from '../api-keys/api-keys.service.js';
import { seedQuestionBank } from '../question-templates/default-bank.js';
import type { Tenant } from './tenants.schemas.js';


const toTenant = (row: typeof tenants.$inferSelect): Tenant => ({
  id: row.id,
  name: row.name,
  slug: row.slug,
  createdAt: row.createdAt.toISOString(),
});

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return slug || 'tenant';
}

/**
 * System operation (CLI, demo seed): a tenant and its first key, which has every scope, and the
 * default question bank unless `questionBank` is false.
 */
export async function createTenant(db: Db, input: { name: string; questionBank?: boolean }): Promise<{ tenant: Tenant; apiKey: NewApiKey }> {
  const name = input.name.trim();
  if (name.length < 1 || name.length > 200) {
    throw new AppError('validation_failed', 'A tenant name is 1 to 200 characters.', {
      errors: [{ path: 'name', message: 'must be 1 to 200 characters' }],
    });
  }
  return db.transaction(async (tx) => {
    // Row-level security binds the tables' owner too (FORCE): the new tenant is this
    // transaction's tenant, so its rows pass the policies, and no other tenant is visible.
    const id = randomUUID();
    await tx.execute(sql`select set_config('app.tenant_id', ${id}, true)`);
    const insert = (slug: string) => tx.insert(tenants).values({ id, name, slug }).onConflictDoNothing({ target: tenants.slug }).returning();
    // Other tenants' slugs are invisible here: the unique index decides. A clash gets a short
    // random suffix rather than a counter, so two creators never race for the same one.
    const base = slugify(name);
    let [row] = await insert(base);
    row ??= (await insert(`${base}-${randomBytes(3).toString('hex')}`))[0];
    if (!row) throw new AppError('conflict', 'Could not give the tenant a unique slug; try again.');
    const tenant = toTenant(row);
    const apiKey = await createApiKey(tx, { tenantId: tenant.id, name: 'owner' });
    if (input.questionBank !== false) await seedQuestionBank(tx, tenant.id);
    return { tenant, apiKey };
  });
}

export async function getTenantById(db: Executor, id: string): Promise<Tenant | undefined> {
  const [row] = await db.select().from(tenants).where(eq(tenants.id, id)).limit(1);
  return row ? toTenant(row) : undefined;
}

export function createTenantsService(db: Db) {
  return {
    /** The caller's own tenant, read through the tenant transaction like any request's work. */
    async current(ctx: RequestContext): Promise<Tenant> {
      requireScope(ctx, 'read');
      const tenant = await withTenantRead(db, ctx.tenantId, (tx) => getTenantById(tx, ctx.tenantId));
      if (!tenant) throw new AppError('not_found', 'The tenant of this key no longer exists.');
      return tenant;
    },
  };
}
export type TenantsService = ReturnType<typeof createTenantsService>;
