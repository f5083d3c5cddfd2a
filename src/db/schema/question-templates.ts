import { boolean, index, pgTable, text } from 'drizzle-orm/pg-core';
import { checkIn, entityConstraints, entityKeys, entityStamps, textArray } from './columns.js';

export const questionCategories = [
  'role_and_day',
  'career_path',
  'industry',
  'skills',
  'organization_and_culture',
  'advice',
  'next_steps_and_referrals',
] as const;

/** A question of the tenant's bank, which an interview's questions may cite by templateId. */
export const questionTemplates = pgTable(
  'question_templates',
  {
    ...entityKeys(),
    text: text('text').notNull(),
    category: text('category', { enum: questionCategories }),
    tags: textArray('tags'),
    active: boolean('active').notNull().default(true),
    ...entityStamps(),
  },
  (t) => [
    ...entityConstraints('question_templates', t),
    checkIn('question_templates_category_check', t.category, questionCategories),
    index('question_templates_category_idx').on(t.tenantId, t.category, t.active),
  ],
);
