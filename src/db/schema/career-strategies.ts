import { sql } from 'drizzle-orm';
import { index, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  checkIn,
  entityConstraints,
  entityKeys,
  entityStamps,
  jsonbListDefault,
  tenantRef,
  textArray,
} from './columns.js';
import { people } from './people.js';

export const strategyStatuses = ['draft', 'active', 'archived'] as const;
export const strategyGoalStatuses = ['open', 'done', 'dropped'] as const;

// Validated by the service (zod); the type documents what the JSON holds.
export interface StrategyGoal {
  description: string;
  targetDate?: string;
  status: (typeof strategyGoalStatuses)[number];
}

export const careerStrategies = pgTable(
  'career_strategies',
  {
    ...entityKeys(),
    personId: uuid('person_id').notNull(),
    title: text('title'),
    status: text('status', { enum: strategyStatuses }).notNull(),
    skills: textArray('skills'),
    values: textArray('values'),
    talents: textArray('talents'),
    interests: textArray('interests'),
    targetRoles: textArray('target_roles'),
    targetIndustries: textArray('target_industries'),
    targetLocations: textArray('target_locations'),
    collaborators: textArray('collaborators'),
    workStyle: text('work_style'),
    goals: jsonb('goals').$type<StrategyGoal[]>().notNull().default(jsonbListDefault),
    ...entityStamps(),
  },
  (t) => [
    ...entityConstraints('career_strategies', t),
    tenantRef('career_strategies_person_fk', t.tenantId, t.personId, people),
    checkIn('career_strategies_status_check', t.status, strategyStatuses),
    // At most one active strategy per person, enforced even against concurrent activations.
    uniqueIndex('career_strategies_one_active_idx').on(t.tenantId, t.personId).where(sql`status = 'active'`),
    // By person, then in list order (Person.careerStrategies).
    index('career_strategies_person_idx').on(t.tenantId, t.personId, t.createdAt, t.id),
    index('career_strategies_status_idx').on(t.tenantId, t.status),
  ],
);
