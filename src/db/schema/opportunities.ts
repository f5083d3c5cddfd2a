import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { checkIn, entityConstraints, entityKeys, entityStamps, tenantRef, textArray, timestamptz } from './columns.js';
import { interviews } from './interviews.js';
import { organizations } from './organizations.js';
import { people } from './people.js';

export const opportunityKinds = ['job', 'internship', 'fellowship', 'project', 'volunteer', 'other'] as const;
export const opportunitySources = [
  'referral',
  'informational_interview',
  'network',
  'career_center',
  'event',
  'posting',
  'other',
] as const;
export const opportunityStatuses = [
  'identified',
  'applied',
  'interviewing',
  'offered',
  'accepted',
  'declined',
  'rejected',
  'withdrawn',
  'closed',
] as const;

/** A lead a person found through the network: the hidden job market when never advertised. */
export const opportunities = pgTable(
  'opportunities',
  {
    ...entityKeys(),
    seekerId: uuid('seeker_id').notNull(),
    organizationId: uuid('organization_id'),
    title: text('title').notNull(),
    kind: text('kind', { enum: opportunityKinds }),
    advertised: boolean('advertised').notNull(),
    source: text('source', { enum: opportunitySources }),
    referredById: uuid('referred_by_id'),
    sourceInterviewId: uuid('source_interview_id'),
    status: text('status', { enum: opportunityStatuses }).notNull(),
    appliedAt: timestamptz('applied_at'),
    offeredAt: timestamptz('offered_at'),
    decidedAt: timestamptz('decided_at'),
    location: text('location'),
    url: text('url'),
    tags: textArray('tags'),
    notes: text('notes'),
    ...entityStamps(),
  },
  (t) => [
    ...entityConstraints('opportunities', t),
    tenantRef('opportunities_seeker_fk', t.tenantId, t.seekerId, people),
    tenantRef('opportunities_organization_fk', t.tenantId, t.organizationId, organizations),
    tenantRef('opportunities_referred_by_fk', t.tenantId, t.referredById, people),
    tenantRef('opportunities_source_interview_fk', t.tenantId, t.sourceInterviewId, interviews),
    checkIn('opportunities_kind_check', t.kind, opportunityKinds),
    checkIn('opportunities_source_check', t.source, opportunitySources),
    checkIn('opportunities_status_check', t.status, opportunityStatuses),
    check('opportunities_not_self_referred_check', sql`${t.referredById} <> ${t.seekerId}`),
    // By parent, then in list order: the first N of each person, organization or interview.
    index('opportunities_seeker_idx').on(t.tenantId, t.seekerId, t.createdAt, t.id),
    index('opportunities_organization_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
    index('opportunities_referred_by_idx').on(t.tenantId, t.referredById, t.createdAt, t.id),
    index('opportunities_source_interview_idx').on(t.tenantId, t.sourceInterviewId, t.createdAt, t.id),
    index('opportunities_status_idx').on(t.tenantId, t.status),
  ],
);
