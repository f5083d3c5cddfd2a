import { bigint, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenantId, timestamptz } from './columns.js';

// The outbox and change feed (drizzle/0010_event_triggers.sql writes them; nothing in Node does).
//
// Triggers on every entity table append one event per record per transaction, in the
// transaction that made the change. At commit, a deferred trigger gives the transaction the
// tenant's next position under a lock on the tenant's `event_heads` row, so positions follow
// commit order: a reader who sees position N committed has seen every position before it.
//
// No foreign key to tenants: a tenant's deletion cascades to its records, whose triggers would
// then write events for a tenant being deleted. The retention sweep removes them with time.

/** One per record per transaction: what the transaction did to it, overall. */
export const events = pgTable(
  'events',
  {
    tenantId: tenantId(),
    /** The writing transaction (pg_current_xact_id()), until commit gives it a position. */
    txid: bigint('txid', { mode: 'number' }).notNull(),
    /** Order within the transaction. */
    seq: bigint('seq', { mode: 'number' }).generatedAlwaysAsIdentity(),
    id: uuid('id').notNull().defaultRandom(),
    type: text('type').notNull(),
    entity: text('entity').notNull(),
    entityId: uuid('entity_id').notNull(),
    externalId: text('external_id'),
    version: integer('version').notNull(),
    occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
    /** Column names (and child lists); null for created and deleted. */
    changedFields: text('changed_fields').array(),
    /** The row after the change as to_jsonb() writes it, child lists added at commit. */
    data: jsonb('data').notNull(),
    /** The record's child lists before the transaction changed them (cleared at commit). */
    childrenBefore: jsonb('children_before'),
  },
  (t) => [primaryKey({ name: 'events_pkey', columns: [t.tenantId, t.txid, t.entityId] })],
);

/** A transaction that wrote events, and (from its commit) its place in the tenant's feed. */
export const eventCommits = pgTable(
  'event_commits',
  {
    tenantId: tenantId(),
    txid: bigint('txid', { mode: 'number' }).notNull(),
    position: bigint('position', { mode: 'number' }),
    committedAt: timestamptz('committed_at'),
  },
  (t) => [primaryKey({ name: 'event_commits_pkey', columns: [t.tenantId, t.txid] }), index('event_commits_position_idx').on(t.tenantId, t.position)],
);

/** Per tenant: the last position given, and how far the retention sweep has removed the feed. */
export const eventHeads = pgTable('event_heads', {
  tenantId: uuid('tenant_id').primaryKey(),
  lastPosition: bigint('last_position', { mode: 'number' }).notNull().default(0),
  /** Every event at or before (prunedPosition, prunedSeq) is gone. */
  prunedPosition: bigint('pruned_position', { mode: 'number' }).notNull().default(0),
  prunedSeq: bigint('pruned_seq', { mode: 'number' }).notNull().default(0),
});
