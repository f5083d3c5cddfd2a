import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { checkIn, createdAt, tenantFk, tenantId, timestamptz } from './columns.js';

// `entity` is spelled as in the URL (/v1/imports/{entity}), which the job echoes back.
export const importEntities = [
  'people',
  'organizations',
  'relationships',
  'interviews',
  'career-strategies',
  'opportunities',
  'question-templates',
] as const;
export const importFormats = ['ndjson', 'csv', 'json'] as const;
export const importModes = ['upsert', 'create'] as const;
export const importOnErrors = ['skip', 'abort'] as const;
export const importStatuses = ['running', 'succeeded', 'partially_succeeded', 'failed'] as const;

const count = (name: string) => integer(name).notNull().default(0);

export const importJobs = pgTable(
  'import_jobs',
  {
    tenantId: tenantId(),
    id: uuid('id').notNull().defaultRandom(),
    entity: text('entity', { enum: importEntities }).notNull(),
    format: text('format', { enum: importFormats }).notNull(),
    mode: text('mode', { enum: importModes }).notNull().default('upsert'),
    dryRun: boolean('dry_run').notNull().default(false),
    onError: text('on_error', { enum: importOnErrors }).notNull().default('skip'),
    status: text('status', { enum: importStatuses }).notNull().default('running'),
    received: count('received'),
    created: count('created'),
    updated: count('updated'),
    unchanged: count('unchanged'),
    failed: count('failed'),
    startedAt: timestamptz('started_at'),
    finishedAt: timestamptz('finished_at'),
    // Moved by the server running the import while it runs: a job whose heartbeat is stale lost
    // its server, and is failed by whoever finds it (another instance, the next import).
    heartbeatAt: timestamptz('heartbeat_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'import_jobs_pkey', columns: [t.tenantId, t.id] }),
    tenantFk('import_jobs', t),
    checkIn('import_jobs_entity_check', t.entity, importEntities),
    checkIn('import_jobs_format_check', t.format, importFormats),
    checkIn('import_jobs_mode_check', t.mode, importModes),
    checkIn('import_jobs_on_error_check', t.onError, importOnErrors),
    checkIn('import_jobs_status_check', t.status, importStatuses),
    index('import_jobs_status_idx').on(t.tenantId, t.status),
    // At most one running import per tenant and entity: a second one is a 409.
    uniqueIndex('import_jobs_running_idx').on(t.tenantId, t.entity).where(sql`status = 'running'`),
    index('import_jobs_created_idx').on(t.tenantId, t.createdAt, t.id),
  ],
);
