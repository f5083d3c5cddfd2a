import { defineConfig } from 'drizzle-kit';

// Migrations are generated from src/db/schema and committed; the same files run on
// PostgreSQL and on the embedded engine.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema/index.ts',
  out: './drizzle',
});
