import { index, integer, pgTable, primaryKey, uuid } from 'drizzle-orm/pg-core';
import { tenantFk, tenantId, tenantRef } from './columns.js';
import { careerStrategies } from './career-strategies.js';
import { interviews } from './interviews.js';

// A strategy's `informedByInterviewIds`, one row per element, kept in the caller's order.
export const careerStrategyInterviews = pgTable(
  'career_strategy_interviews',
  {
    tenantId: tenantId(),
    strategyId: uuid('strategy_id').notNull(),
    interviewId: uuid('interview_id').notNull(),
    position: integer('position').notNull(),
  },
  (t) => [
    primaryKey({ name: 'cs_interviews_pkey', columns: [t.tenantId, t.strategyId, t.interviewId] }),
    tenantFk('cs_interviews', t),
    // Part of the strategy: it goes with it. The interview is a real dependent (NO ACTION).
    tenantRef('cs_interviews_strategy_fk', t.tenantId, t.strategyId, careerStrategies).onDelete('cascade'),
    tenantRef('cs_interviews_interview_fk', t.tenantId, t.interviewId, interviews),
    index('cs_interviews_interview_idx').on(t.tenantId, t.interviewId),
  ],
);
