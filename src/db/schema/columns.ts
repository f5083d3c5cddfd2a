import { sql, type SQL } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  primaryKey,
  text,
  timestamp,
  unique,
  uuid,
  type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { tenants } from './tenants.js';

export const timestamptz = (name: string) => timestamp(name, { withTimezone: true });
export const createdAt = () => timestamptz('created_at').notNull().defaultNow();
export const tenantId = () => uuid('tenant_id').notNull();
export const textArray = (name: string) => text(name).array().notNull().default(sql`'{}'::text[]`);
export const jsonbListDefault = sql`'[]'::jsonb`;

/** tenant_id, id and external_id: the head of every entity table. */
export const entityKeys = () => ({
  tenantId: tenantId(),
  id: uuid('id').notNull().defaultRandom(),
  externalId: text('external_id'),
});

/** created_at, updated_at and version: the tail of every entity table. */
export const entityStamps = () => ({
  createdAt: createdAt(),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  version: integer('version').notNull().default(1),
});

type TenantColumns = { tenantId: AnyPgColumn };
type EntityColumns = TenantColumns & {
  id: AnyPgColumn;
  externalId: AnyPgColumn;
  createdAt: AnyPgColumn;
  updatedAt: AnyPgColumn;
};

// Cascade from the tenant only: deleting a tenant removes everything it owns in one statement.
export const tenantFk = (table: string, t: TenantColumns) =>
  foreignKey({ name: `${table}_tenant_fk`, columns: [t.tenantId], foreignColumns: [tenants.id] }).onDelete(
    'cascade',
  );

/**
 * A reference inside one tenant: (tenant_id, column) -> target (tenant_id, id), so it can never
 * point at another tenant's row. NO ACTION by default: the service counts dependents (409) and
 * cascades itself; SET NULL would null tenant_id too.
 */
export const tenantRef = (
  name: string,
  tenant: AnyPgColumn,
  column: AnyPgColumn,
  target: TenantColumns & { id: AnyPgColumn },
) =>
  foreignKey({ name, columns: [tenant, column], foreignColumns: [target.tenantId, target.id] });

/** Primary key, external ID, tenant FK, and the keyset orders (created_at, id) and (updated_at, id). */
export const entityConstraints = (table: string, t: EntityColumns) => [
  primaryKey({ name: `${table}_pkey`, columns: [t.tenantId, t.id] }),
  unique(`${table}_external_id_key`).on(t.tenantId, t.externalId),
  tenantFk(table, t),
  index(`${table}_created_idx`).on(t.tenantId, t.createdAt, t.id),
  index(`${table}_updated_idx`).on(t.tenantId, t.updatedAt, t.id),
];

/** A CHECK that the column holds one of `values`: text, not a pg enum, so a new value is a simple migration. */
export const checkIn = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(name, sql`${column} in (${literals(values)})`);

/** A CHECK that every element of a text[] column is one of `values`. */
export const checkSubset = (name: string, column: AnyPgColumn, values: readonly string[]) =>
  check(name, sql`${column} <@ array[${literals(values)}]::text[]`);

// Inlined, not bound: DDL takes no parameters, and the values are our own constants.
const literals = (values: readonly string[]): SQL =>
  sql.raw(values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', '));
