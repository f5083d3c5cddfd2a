import { index, integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { tenantFk, tenantId, tenantRef } from './columns.js';
import { careerStrategies } from './career-strategies.js';
import { organizations } from './organizations.js';

// A strategy's `targetOrganizationIds`, one row per element, kept in the caller's order.
export const careerStrategyTargetOrganizations = pgTable(
  'career_strategy_target_organizations',
  {
    tenantId: tenantId(),
    strategyId: uuid('strategy_id').notNull(),
    organizationId: uuid('organization_id').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'cs_target_orgs_pkey', columns: [t.tenantId, t.strategyId, t.organizationId] }),
    tenantFk('cs_target_orgs', t),
    // Part of the strategy: it goes with it. The organization is a real dependent (NO ACTION).
    tenantRef('cs_target_orgs_strategy_fk', t.tenantId, t.strategyId, careerStrategies).onDelete('cascade'),
    tenantRef('cs_target_orgs_organization_fk', t.tenantId, t.organizationId, organizations),
    index('cs_target_orgs_organization_idx').on(t.tenantId, t.organizationId),
  ],
);
