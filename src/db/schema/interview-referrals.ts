import { index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenantFk, tenantId, tenantRef } from './columns.js';
import { interviews } from './interviews.js';
import { people } from './people.js';

// An interview's `referrals` list, one row per element, kept in the caller's order.
export const interviewReferrals = pgTable(
  'interview_referrals',
  {
    tenantId: tenantId(),
    interviewId: uuid('interview_id').notNull(),
    position: integer('position').notNull(),
    personId: uuid('person_id').notNull(),
    note: text('note'),
  },
  (t) => [
    primaryKey({ name: 'interview_referrals_pkey', columns: [t.tenantId, t.interviewId, t.position] }),
    tenantFk('interview_referrals', t),
    // Part of the interview: it goes with it. The person is a real dependent (NO ACTION).
    tenantRef('interview_referrals_interview_fk', t.tenantId, t.interviewId, interviews).onDelete('cascade'),
    tenantRef('interview_referrals_person_fk', t.tenantId, t.personId, people),
    index('interview_referrals_person_idx').on(t.tenantId, t.personId),
  ],
);
