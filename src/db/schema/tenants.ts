import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// The only table without tenant_id: the root every other row hangs from.
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique('tenants_slug_key'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
