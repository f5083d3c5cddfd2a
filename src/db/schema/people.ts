import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { checkSubset, entityConstraints, entityKeys, entityStamps, tenantRef, textArray } from './columns.js';
import { organizations } from './organizations.js';

export const personRoles = ['student', 'alumnus', 'professional', 'mentor', 'advisor'] as const;

export const people = pgTable(
  'people',
  {
    ...entityKeys(),
    fullName: text('full_name').notNull(),
    preferredName: text('preferred_name'),
    pronouns: text('pronouns'),
    emails: textArray('emails'),
    phone: text('phone'),
    location: text('location'),
    headline: text('headline'),
    linkedinUrl: text('linkedin_url'),
    roles: text('roles', { enum: personRoles }).array().notNull().default(sql`'{}'::text[]`),
    program: text('program'),
    graduationYear: integer('graduation_year'),
    organizationId: uuid('organization_id'),
    title: text('title'),
    tags: textArray('tags'),
    doNotContact: boolean('do_not_contact').notNull().default(false),
    notes: text('notes'),
    ...entityStamps(),
  },
  (t) => [
    ...entityConstraints('people', t),
    tenantRef('people_organization_fk', t.tenantId, t.organizationId, organizations),
    checkSubset('people_roles_check', t.roles, personRoles),
    check('people_graduation_year_check', sql`${t.graduationYear} between 1900 and 2100`),
    // By organization, then in list order: the first N people of each (GraphQL's Organization.people).
    index('people_organization_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
    index('people_tags_idx').using('gin', t.tags),
    index('people_roles_idx').using('gin', t.roles),
    // `q` must use this exact expression (with @@ and a 'simple' tsquery) to reach the index.
    index('people_search_idx').using('gin', peopleSearchVector(t)),
  ],
);

/** The text `q` searches, shared by the index above and the query that must match it. */
export function peopleSearchVector(t: { fullName: AnyPgColumn; preferredName: AnyPgColumn; headline: AnyPgColumn }) {
  const text = sql`${t.fullName} || ' ' || coalesce(${t.preferredName}, '') || ' ' || coalesce(${t.headline}, '')`;
  return sql`to_tsvector('simple', ${text})`;
}
