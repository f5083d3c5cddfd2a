import { sql } from 'drizzle-orm';
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { checkIn, entityConstraints, entityKeys, entityStamps, textArray } from './columns.js';

export const organizationSizes = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+'] as const;

export const organizations = pgTable(
  'organizations',
  {
    ...entityKeys(),
    name: text('name').notNull(),
    website: text('website'),
    industry: text('industry'),
    size: text('size', { enum: organizationSizes }),
    location: text('location'),
    description: text('description'),
    tags: textArray('tags'),
    ...entityStamps(),
  },
  (t) => [
    ...entityConstraints('organizations', t),
    checkIn('organizations_size_check', t.size, organizationSizes),
    index('organizations_tags_idx').using('gin', t.tags),
    index('organizations_industry_idx').on(t.tenantId, t.industry),
    // text_pattern_ops serves `lower(name) like 'abc%'` (and equality) whatever the collation.
    index('organizations_name_idx').on(t.tenantId, sql`lower(${t.name}) text_pattern_ops`),
  ],
);
