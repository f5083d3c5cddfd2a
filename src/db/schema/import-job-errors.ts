import { bigint, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { tenantFk, tenantId, tenantRef } from './columns.js';
import { importJobs } from './import-jobs.js';

export const importJobErrors = pgTable(
  'import_job_errors',
  {
    tenantId: tenantId(),
    jobId: uuid('job_id').notNull(),
    // A row can fail several ways on one path (and a malformed row has no path), so errors are
    // keyed by arrival order. Rows are processed in order, so seq order is row order: it pages.
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    row: integer('row').notNull(),
    externalId: text('external_id'),
    path: text('path').notNull().default(''),
    message: text('message').notNull(),
  },
  (t) => [
    primaryKey({ name: 'import_job_errors_pkey', columns: [t.tenantId, t.jobId, t.seq] }),
    tenantFk('import_job_errors', t),
    // Errors are part of their job and go with it.
    tenantRef('import_job_errors_job_fk', t.tenantId, t.jobId, importJobs).onDelete('cascade'),
  ],
);
