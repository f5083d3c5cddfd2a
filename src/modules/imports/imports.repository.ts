import { and, asc, desc, eq, gt, lt, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { importJobErrors, importJobs } from '../../db/schema/index.js';
import type { ImportError } from './imports.schemas.js';

// Import jobs and their error rows, tenant-scoped (row-level security is the second wall).

export type ImportJobRow = typeof importJobs.$inferSelect;
export type NewImportJob = Pick<typeof importJobs.$inferInsert, 'entity' | 'format' | 'mode' | 'dryRun' | 'onError'>;

export interface JobCounts {
  received: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

const tenantJob = (tenantId: string, id: string) => and(eq(importJobs.tenantId, tenantId), eq(importJobs.id, id));

/** A running job; the unique index of running jobs refuses a second one per tenant and entity. */
export async function insertJob(db: Executor, tenantId: string, job: NewImportJob): Promise<ImportJobRow> {
  const [row] = await db
    .insert(importJobs)
    .values({ ...job, tenantId, status: 'running', startedAt: sql`now()`, heartbeatAt: sql`now()` })
    .returning();
  return row!;
}

/** Fails the running jobs of this entity whose server stopped beating: they will never finish. */
export async function failStaleJobs(db: Executor, tenantId: string, entity: ImportJobRow['entity'], staleMs: number): Promise<number> {
  const failed = await db
    .update(importJobs)
    .set({ status: 'failed', finishedAt: sql`now()` })
    .where(
      and(
        eq(importJobs.tenantId, tenantId),
        eq(importJobs.entity, entity),
        eq(importJobs.status, 'running'),
        lt(importJobs.heartbeatAt, sql`now() - make_interval(secs => ${staleMs / 1000})`),
      ),
    )
    .returning({ id: importJobs.id });
  return failed.length;
}

/**
 * Fails the stale running jobs of every tenant (housekeeping, on any instance); returns how many.
 * Row-level security lets `icrm_fail_stale_imports` (drizzle/0006) see and fail those only.
 */
export async function failStaleJobsEverywhere(db: Executor, staleMs: number): Promise<number> {
  const [row] = rowsOf<{ failed: number }>(await db.execute(sql`select icrm_fail_stale_imports(${staleMs / 1000}) as failed`));
  return Number(row?.failed ?? 0);
}

/** A batch's progress: its counts added, and the heartbeat moved. */
export async function addProgress(db: Executor, tenantId: string, id: string, counts: JobCounts): Promise<void> {
  await db
    .update(importJobs)
    .set({
      received: sql`${importJobs.received} + ${counts.received}`,
      created: sql`${importJobs.created} + ${counts.created}`,
      updated: sql`${importJobs.updated} + ${counts.updated}`,
      unchanged: sql`${importJobs.unchanged} + ${counts.unchanged}`,
      failed: sql`${importJobs.failed} + ${counts.failed}`,
      heartbeatAt: sql`now()`,
    })
    .where(tenantJob(tenantId, id));
}

export async function beat(db: Executor, tenantId: string, id: string): Promise<void> {
  await db.update(importJobs).set({ heartbeatAt: sql`now()` }).where(and(tenantJob(tenantId, id), eq(importJobs.status, 'running')));
}

/** The job's end: its status, and (an aborted run) its counts as they landed. */
export async function finishJob(db: Executor, tenantId: string, id: string, status: ImportJobRow['status'], counts?: JobCounts): Promise<ImportJobRow> {
  const [row] = await db
    .update(importJobs)
    .set({ status, finishedAt: sql`now()`, ...(counts ?? {}) })
    .where(tenantJob(tenantId, id))
    .returning();
  return row!;
}

export async function insertErrors(db: Executor, tenantId: string, jobId: string, errors: readonly ImportError[]): Promise<void> {
  if (errors.length === 0) return;
  await db.insert(importJobErrors).values(errors.map((e) => ({ tenantId, jobId, row: e.row, externalId: e.externalId, path: e.path, message: e.message })));
}

export async function selectJob(db: Executor, tenantId: string, id: string): Promise<ImportJobRow | undefined> {
  const [row] = await db.select().from(importJobs).where(tenantJob(tenantId, id));
  return row;
}

/** Newest first, after (older than) the job a cursor names, by its exact created_at. */
export async function selectJobs(
  db: Executor,
  tenantId: string,
  filter: { status?: ImportJobRow['status']; entity?: ImportJobRow['entity']; before?: string },
  limit: number,
): Promise<ImportJobRow[]> {
  const conditions: SQL[] = [eq(importJobs.tenantId, tenantId)];
  if (filter.status) conditions.push(eq(importJobs.status, filter.status));
  if (filter.entity) conditions.push(eq(importJobs.entity, filter.entity));
  if (filter.before) {
    const at = sql`(select j.created_at from ${importJobs} j where j.tenant_id = ${tenantId} and j.id = ${filter.before})`;
    conditions.push(sql`(${importJobs.createdAt}, ${importJobs.id}) < (${at}, ${filter.before}::uuid)`);
  }
  return db
    .select()
    .from(importJobs)
    .where(and(...conditions))
    .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
    .limit(limit + 1);
}

/** A job's errors in row order, after the `seq` a cursor names. */
export async function selectErrors(db: Executor, tenantId: string, jobId: string, afterSeq: number, limit: number) {
  return db
    .select({ seq: importJobErrors.seq, row: importJobErrors.row, externalId: importJobErrors.externalId, path: importJobErrors.path, message: importJobErrors.message })
    .from(importJobErrors)
    .where(and(eq(importJobErrors.tenantId, tenantId), eq(importJobErrors.jobId, jobId), gt(importJobErrors.seq, afterSeq)))
    .orderBy(asc(importJobErrors.seq))
    .limit(limit + 1);
}
