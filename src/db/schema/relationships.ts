import { sql } from 'drizzle-orm';
import { check, index, pgTable, smallint, text, unique, uuid } from 'drizzle-orm/pg-core';
import { checkIn, entityConstraints, entityKeys, entityStamps, tenantRef, timestamptz } from './columns.js';
import { people } from './people.js';

export const relationshipKinds = [
  'classmate',
  'alumnus',
  'colleague',
  'mentor',
  'friend',
  'family',
  'other',
] as const;
export const relationshipSources = [
  'career_center',
  'referral',
  'interview',
  'event',
  'linkedin',
  'cold_outreach',
  'alumni_network',
  'other',
] as const;

export const relationships = pgTable(
  'relationships',
  {
    ...entityKeys(),
    personId: uuid('person_id').notNull(),
    contactId: uuid('contact_id').notNull(),
    kind: text('kind', { enum: relationshipKinds }),
    source: text('source', { enum: relationshipSources }),
    introducedById: uuid('introduced_by_id'),
    strength: smallint('strength'),
    lastContactedAt: timestamptz('last_contacted_at'),
    notes: text('notes'),
    ...entityStamps(),
  },
  (t) => [
    ...entityConstraints('relationships', t),
    // One edge per ordered pair; it also serves the personId filter and person FK.
    unique('relationships_pair_key').on(t.tenantId, t.personId, t.contactId),
    tenantRef('relationships_person_fk', t.tenantId, t.personId, people),
    tenantRef('relationships_contact_fk', t.tenantId, t.contactId, people),
    tenantRef('relationships_introduced_by_fk', t.tenantId, t.introducedById, people),
    checkIn('relationships_kind_check', t.kind, relationshipKinds),
    checkIn('relationships_source_check', t.source, relationshipSources),
    check('relationships_strength_check', sql`${t.strength} between 0 and 5`),
    check('relationships_not_self_check', sql`${t.personId} <> ${t.contactId}`),
    // By either end, then in list order: the first N edges of each person (Person.relationships).
    index('relationships_person_idx').on(t.tenantId, t.personId, t.createdAt, t.id),
    index('relationships_contact_idx').on(t.tenantId, t.contactId, t.createdAt, t.id),
    index('relationships_source_idx').on(t.tenantId, t.source),
    index('relationships_introduced_by_idx').on(t.tenantId, t.introducedById),
  ],
);
