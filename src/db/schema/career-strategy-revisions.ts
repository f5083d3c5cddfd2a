import { integer, jsonb, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { createdAt, tenantFk, tenantId, tenantRef } from './columns.js';
import { careerStrategies } from './career-strategies.js';

// The earlier states of a strategy, its history: written once, never updated.
export const careerStrategyRevisions = pgTable(
  'career_strategy_revisions',
  {
    tenantId: tenantId(),
    strategyId: uuid('strategy_id').notNull(),
    revision: integer('revision').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'cs_revisions_pkey', columns: [t.tenantId, t.strategyId, t.revision] }),
    tenantFk('cs_revisions', t),
    // History belongs to its strategy and goes with it.
    tenantRef('cs_revisions_strategy_fk', t.tenantId, t.strategyId, careerStrategies).onDelete('cascade'),
  ],
);
