import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { z } from 'zod';
import { requireScope, type RequestContext } from '../../context.js';
import type { Db, Tx } from '../../db/client.js';
import { postgresErrorIn } from '../../db/db-error-summary.js';
import type { importEntities } from '../../db/schema/index.js';
import { withTenant, withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { forgetKey, recallKey, rememberKey, requestFingerprint } from '../idempotency/idempotency.service.js';
import type { Outcome } from '../shared/batch-write.js';
import { isUuid } from '../shared/common.schemas.js';
import { decodeKey, encodeKey } from '../shared/pagination.js';
import type { Problem } from '../shared/rules.js';
import { storableText, unstorableText } from '../shared/storable-text.js';
import { RacedUpsert } from '../shared/batch-write.js';
import { watched } from './body-stream.js';
import { csvCellReader } from './csv-cells.js';
import { ExternalIdRegister } from './external-id-register.js';
import { bodyRows, type BodyRow, type ImportFormat } from './import-formats.js';
import {
  addProgress,
  beat,
  failStaleJobs,
  finishJob,
  insertErrors,
  insertJob,
  selectErrors,
  selectJob,
  selectJobs,
  type ImportJobRow,
  type JobCounts,
} from './imports.repository.js';
import type { FinishedImport, ImportError, ImportErrorsQuery, ImportJob, ImportListQuery, ImportQuery } from './imports.schemas.js';

// Bulk import: a body streamed in batches, each batch checked and written set-based by the
// entity's own service (importBatch: the same input schema and rules as REST and GraphQL), and
// committed together with the job's progress and its error rows, so a run broken off leaves
// exact counts of what landed. See the "Bulk import" section of the design's api.md.

export type ImportEntity = (typeof importEntities)[number];

/** What an import needs of an entity's service. */
export interface ImportableService {
  importBatch(tx: Tx, ctx: RequestContext, mode: 'create' | 'upsert', rows: readonly unknown[]): Promise<Outcome<unknown>[]>;
  idsByExternalIds(tx: Tx, ctx: RequestContext, externalIds: readonly string[]): Promise<Map<string, string>>;
}

/** A field a row may name another record by, by its external ID instead of its id. */
export interface ExternalReference {
  /** The row's column: `organizationExternalId`. */
  column: string;
  /** The input field it fills: `organizationId`. */
  field: string;
  target: ImportableService;
  noun: string;
}

export interface ImportTarget {
  service: ImportableService;
  /** The entity's input schema: what a CSV cell of each field reads as. */
  input: z.ZodType;
  references: ExternalReference[];
}

export interface ImportOptions {
  /** Rows checked and written together, in one transaction with the job's progress. */
  batchSize?: number;
  /** How often a running job's heartbeat moves; one silent for six of these lost its server. */
  heartbeatMs?: number;
}

const MAX_ERRORS_ANSWERED = 100;

/** A running job's heartbeat moves this often; one silent for STALE_AFTER of them lost its server. */
export const HEARTBEAT_MS = 10_000;
const STALE_AFTER = 6;
export const STALE_IMPORT_MS = HEARTBEAT_MS * STALE_AFTER;

/** Rolls a transaction back on purpose (a dry run, an abort): not an error. */
class RollBack extends Error {}

type BatchItem = BodyRow;

/** The body's rows in batches; a CSV header that cannot be read refuses the body. */
async function* batchesOf(rows: AsyncGenerator<BodyRow>, size: number): AsyncGenerator<BatchItem[], void, undefined> {
  let batch: BatchItem[] = [];
  for await (const item of rows) {
    if (item.row === 0) {
      const problem = 'error' in item ? item.error : '';
      throw new AppError('validation_failed', `The CSV header cannot be read: ${problem}.`, { errors: [{ path: 'body', message: problem }] });
    }
    batch.push(item);
    if (batch.length >= size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const jobOf = (row: ImportJobRow): ImportJob => ({
  id: row.id,
  entity: row.entity,
  format: row.format,
  mode: row.mode,
  dryRun: row.dryRun,
  onError: row.onError,
  status: row.status,
  counts: { received: row.received, created: row.created, updated: row.updated, unchanged: row.unchanged, failed: row.failed },
  startedAt: row.startedAt?.toISOString() ?? null,
  finishedAt: row.finishedAt?.toISOString() ?? null,
  createdAt: row.createdAt.toISOString(),
});

/** The body as it streams, and the SHA-256 of every byte that went through once it has ended. */
function hashing(body: Readable): { body: Readable; digest: () => string } {
  const hash = createHash('sha256');
  return { body: watched(body, (chunk) => hash.update(chunk)), digest: () => hash.digest('hex') };
}

const zero = (): JobCounts => ({ received: 0, created: 0, updated: 0, unchanged: 0, failed: 0 });

/** A batch screened before the database is asked: what failed already, and the rows still to check. */
interface Screened {
  counts: JobCounts;
  errors: ImportError[];
  candidates: { row: number; value: Record<string, unknown> }[];
}

/**
 * Counts a row failed in `batch`, with an error for each of its problems. What an error quotes
 * of the row (a field's name, its external ID, a parser's message) may hold a NUL: it is stored.
 */
const failIn =
  (batch: Pick<Screened, 'counts' | 'errors'>) =>
  (row: number, externalId: string | null, problems: Problem[]): void => {
    batch.counts.failed += 1;
    const id = externalId === null ? null : storableText(externalId);
    for (const p of problems) batch.errors.push({ row, externalId: id, path: p.path === '(root)' ? '' : storableText(p.path), message: storableText(p.message) });
  };
const externalIdOf = (value: Record<string, unknown> | undefined): string | null => (typeof value?.externalId === 'string' ? value.externalId : null);

export function createImportsService(db: Db, targets: Record<ImportEntity, ImportTarget>, options: ImportOptions = {}) {
  const batchSize = options.batchSize ?? 500;
  const heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
  const cellReaders = new Map<ImportEntity, (record: Record<string, unknown>) => Record<string, unknown>>();
  const cellsOf = (entity: ImportEntity) => {
    let reader = cellReaders.get(entity);
    if (!reader) cellReaders.set(entity, (reader = csvCellReader(targets[entity].input)));
    return reader;
  };

  /**
   * A new running job; a running one of the same entity is a 409, unless its server is gone.
   * With an Idempotency-Key, the key is claimed for the job in the same transaction; a key
   * already answered gives that answer back instead (its body is compared by the caller).
   */
  async function startJob(
    ctx: RequestContext,
    entity: ImportEntity,
    format: ImportFormat,
    query: ImportQuery,
    idempotency: { key: string; params: string } | undefined,
  ): Promise<{ job: ImportJobRow } | { answered: { requestHash: string; body: FinishedImport } }> {
    try {
      return await withTenant(db, ctx.tenantId, async (tx) => {
        await failStaleJobs(tx, ctx.tenantId, entity, heartbeatMs * STALE_AFTER);
        const claimed = idempotency && (await recallKey(tx, ctx, idempotency.key));
        if (claimed) {
          if (claimed.responseStatus === 201) return { answered: { requestHash: claimed.requestHash, body: claimed.responseBody as FinishedImport } };
          // Pending: the run it names still runs (409), or broke off (failed, stale), and this one takes the key over.
          if (claimed.requestHash !== idempotency.params) throw idempotencyConflict();
          const jobId = (claimed.responseBody as { jobId?: string }).jobId;
          const earlier = jobId ? await selectJob(tx, ctx.tenantId, jobId) : undefined;
          if (earlier?.status === 'running') throw keyStillRunning();
        }
        const job = await insertJob(tx, ctx.tenantId, { entity, format, mode: query.mode, dryRun: query.dryRun, onError: query.onError });
        if (idempotency) await rememberKey(tx, ctx, idempotency.key, idempotency.params, 202, { jobId: job.id });
        return { job };
      });
    } catch (err) {
      const pg = postgresErrorIn(err) as { code?: string; constraint?: string } | undefined;
      if (pg?.code === '23505' && pg.constraint === 'import_jobs_running_idx') {
        throw new AppError('conflict', `An import of ${entity} is already running for this tenant; wait for it (GET /v1/imports?status=running).`);
      }
      // Two first requests with one key at once: the other claimed it.
      if (pg?.code === '23505' && pg.constraint === 'idempotency_keys_pkey') {
        throw keyStillRunning();
      }
      throw err;
    }
  }

  const idempotencyConflict = () => new AppError('idempotency_conflict', 'This Idempotency-Key was used with another request; use a new key.');
  const keyStillRunning = () => new AppError('conflict', 'The first request with this Idempotency-Key is still running; retry when it ends.', { headers: { 'retry-after': '5' } });
  const bodyHash = (params: string, digest: string) => createHash('sha256').update(`${params}\n${digest}`).digest('hex');

  /**
   * References by external ID as ids, for a batch's rows (one read per referenced entity);
   * the problems of each row that names what does not exist, by row index.
   */
  async function resolveReferences(tx: Tx, ctx: RequestContext, references: ExternalReference[], values: Record<string, unknown>[]): Promise<Map<number, Problem[]>> {
    const problems = new Map<number, Problem[]>();
    const refuse = (i: number, problem: Problem) => problems.set(i, [...(problems.get(i) ?? []), problem]);
    for (const reference of references) {
      const named = new Set<string>();
      values.forEach((value, i) => {
        const external = value[reference.column];
        if (external === undefined || external === null) return;
        if (typeof external !== 'string' || external === '') return refuse(i, { path: reference.column, message: 'must be a non-empty text' });
        if (value[reference.field] != null) return refuse(i, { path: reference.column, message: `give ${reference.field} or ${reference.column}, not both` });
        named.add(external);
      });
      const ids = named.size ? await reference.target.idsByExternalIds(tx, ctx, [...named]) : new Map<string, string>();
      values.forEach((value, i) => {
        const external = value[reference.column];
        if (typeof external !== 'string' || !named.has(external)) return;
        const id = ids.get(external);
        if (id === undefined) refuse(i, { path: reference.column, message: `no ${reference.noun} with this externalId` });
        else value[reference.field] = id;
        delete value[reference.column];
      });
    }
    return problems;
  }

  /**
   * Runs an import of `body`. With an Idempotency-Key, a retry of an answered run reads its body
   * through (to compare it: another body is a 422) and gets the first answer back, `replayed`.
   */
  async function run(
    ctx: RequestContext,
    entity: ImportEntity,
    format: ImportFormat,
    query: ImportQuery,
    given: Readable,
    idempotencyKey?: string,
  ): Promise<{ value: FinishedImport; replayed: boolean }> {
    requireScope(ctx, 'import');
    const target = targets[entity];
    const idempotency = idempotencyKey === undefined ? undefined : { key: idempotencyKey, params: requestFingerprint('POST', '/v1/imports/:entity', { entity, format, query }) };
    const { body, digest } = hashing(given);
    const started = await startJob(ctx, entity, format, query, idempotency);
    if ('answered' in started) {
      for await (const _chunk of body); // read through, to fingerprint it
      if (started.answered.requestHash !== bodyHash(idempotency!.params, digest())) throw idempotencyConflict();
      return { value: started.answered.body, replayed: true };
    }
    const { job } = started;
    const heartbeat = setInterval(() => void withTenant(db, ctx.tenantId, (tx) => beat(tx, ctx.tenantId, job.id)).catch(() => undefined), heartbeatMs);
    heartbeat.unref();
    const answered: ImportError[] = [];
    const total = zero();
    // External IDs seen in this body, with the row that first had each: a later row with one fails.
    const seen = new ExternalIdRegister();
    const abort = query.onError === 'abort';

    /**
     * What a batch's rows are before the database is asked: unreadable rows, unstorable text and
     * external IDs a row earlier in the file had are errors; the rest are candidates. Run in row
     * order, once per batch (a batch written again after a race keeps what it found).
     */
    const screen = (batch: BatchItem[]): Screened => {
      const screened: Screened = { counts: zero(), errors: [], candidates: [] };
      const fail = failIn(screened);
      for (const item of batch) {
        screened.counts.received += 1;
        if ('error' in item) {
          fail(item.row, null, [{ path: '', message: `This row ${item.error}.` }]);
          continue;
        }
        const value = format === 'csv' ? cellsOf(entity)(item.value) : { ...item.value };
        const externalId = externalIdOf(value);
        const unstorable = unstorableText(value);
        if (unstorable.length) {
          fail(item.row, externalId, unstorable);
          continue;
        }
        const first = externalId === null ? undefined : seen.firstRowOf(externalId, item.row);
        if (first !== undefined) {
          fail(item.row, externalId, [{ path: 'externalId', message: `appears earlier in this file (row ${first}); a file names a record once` }]);
          continue;
        }
        screened.candidates.push({ row: item.row, value });
      }
      return screened;
    };

    /** Checks and writes one screened batch in `tx`: its counts and its errors (in row order). */
    const writeBatch = async (tx: Tx, screened: Screened) => {
      const written: Screened = { counts: { ...screened.counts }, errors: [...screened.errors], candidates: screened.candidates };
      const { counts, errors } = written;
      const fail = failIn(written);
      const candidates = screened.candidates.map((c) => ({ row: c.row, value: { ...c.value } }));
      const refused = await resolveReferences(
        tx,
        ctx,
        target.references,
        candidates.map((c) => c.value),
      );
      const writable = candidates.filter((c, i) => {
        const problems = refused.get(i);
        if (problems) fail(c.row, externalIdOf(c.value), problems);
        return !problems;
      });
      const outcomes = await target.service.importBatch(
        tx,
        ctx,
        query.mode,
        writable.map((c) => c.value),
      );
      outcomes.forEach((outcome, i) => {
        if (outcome.status === 'refused') fail(writable[i]!.row, externalIdOf(writable[i]!.value), outcome.problems);
        else counts[outcome.status] += 1;
      });
      errors.sort((a, b) => a.row - b.row);
      return { counts, errors };
    };

    // A batch raced by another writer (an external ID created in between) is checked again.
    const withRetry = async <T>(work: () => Promise<T>): Promise<T> => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work();
        } catch (err) {
          if (!(err instanceof RacedUpsert) || attempt >= 2) throw err;
        }
      }
    };
    const record = (counts: JobCounts, errors: ImportError[]) => {
      for (const key of Object.keys(total) as (keyof JobCounts)[]) total[key] += counts[key];
      answered.push(...errors.slice(0, MAX_ERRORS_ANSWERED - answered.length));
    };
    // Progress and errors of a batch whose writes do not land with them (a dry run, an abort's long transaction).
    const saveProgress = async (tx: Tx, counts: JobCounts, errors: ImportError[]) => {
      await insertErrors(tx, ctx.tenantId, job.id, errors);
      await addProgress(tx, ctx.tenantId, job.id, counts);
    };
    const report = (counts: JobCounts, errors: ImportError[]) => withTenant(db, ctx.tenantId, (tx) => saveProgress(tx, counts, errors));

    /** A batch checked and rolled back (a dry run, what follows an abort): its progress and errors kept. */
    const checkBatch = async (batch: BatchItem[]) => {
      const screened = screen(batch);
      let result: Awaited<ReturnType<typeof writeBatch>> | undefined;
      await withRetry(() =>
        withTenant(db, ctx.tenantId, async (tx) => {
          result = await writeBatch(tx, screened);
          throw new RollBack();
        }).catch((err: unknown) => {
          if (!(err instanceof RollBack)) throw err;
        }),
      );
      await report(result!.counts, result!.errors);
      record(result!.counts, result!.errors);
    };

    /**
     * A batch written and committed together with its progress and errors. Its progress waits
     * for the batch `before` it (which may still be writing on another connection): the job's
     * counts and error rows land in row order, and a batch after one that failed rolls back.
     */
    const commitBatch = async (screened: Screened, before: Promise<void>) => {
      const { counts, errors } = await withRetry(() =>
        withTenant(db, ctx.tenantId, async (tx) => {
          const written = await writeBatch(tx, screened);
          await before;
          await saveProgress(tx, written.counts, written.errors);
          return written;
        }),
      );
      record(counts, errors);
    };

    /**
     * Batches committed two at a time: while one is written, the next is read from the body and
     * written on a second connection, so the service's CPU and the database's overlap. (The
     * embedded engine has one connection: its transactions take turns.)
     */
    const commitAll = async () => {
      let previous: Promise<void> = Promise.resolve();
      let latest = previous;
      try {
        for (let next = await batches.next(); !next.done; next = await batches.next()) {
          latest = commitBatch(screen(next.value), previous);
          latest.catch(() => undefined); // awaited below, or by the next batch
          await previous;
          previous = latest;
        }
        await latest;
      } finally {
        // Broken off: the batches still in flight settle (rolled back, or committed) before the job is failed.
        await Promise.allSettled([previous, latest]);
      }
    };

    const batches = batchesOf(bodyRows(format, body), batchSize);
    try {
      let status: ImportJobRow['status'];
      let counts: JobCounts | undefined;
      if (abort && !query.dryRun) {
        // All or nothing: every batch's writes in one transaction (each batch in a savepoint, so a
        // raced one is retried alone). The first batch with a bad row rolls it all back; the rest
        // are still checked, to report every bad row. The job's counts show at the end.
        let failing: ImportError[] | null = null;
        await withTenant(db, ctx.tenantId, async (tx) => {
          for (let next = await batches.next(); !next.done; next = await batches.next()) {
            const screened = screen(next.value);
            const written = await withRetry(() => tx.transaction((savepoint) => writeBatch(savepoint as Tx, screened)));
            record(written.counts, written.errors);
            if (written.counts.failed > 0) {
              failing = written.errors;
              throw new RollBack();
            }
          }
        }).catch((err: unknown) => {
          if (!(err instanceof RollBack)) throw err;
        });
        if (failing) {
          await report(zero(), failing);
          for (let next = await batches.next(); !next.done; next = await batches.next()) await checkBatch(next.value);
        }
        status = total.failed > 0 ? 'failed' : 'succeeded';
        counts = total.failed > 0 ? { ...zero(), received: total.received, failed: total.failed } : total;
      } else {
        if (query.dryRun) for (let next = await batches.next(); !next.done; next = await batches.next()) await checkBatch(next.value);
        else await commitAll();
        status = total.failed === 0 ? 'succeeded' : abort ? 'failed' : 'partially_succeeded';
      }
      const value = await withTenant(db, ctx.tenantId, async (tx) => {
        const answer: FinishedImport = { ...jobOf(await finishJob(tx, ctx.tenantId, job.id, status, counts)), errors: answered };
        if (idempotency) await rememberKey(tx, ctx, idempotency.key, bodyHash(idempotency.params, digest()), 201, answer);
        return answer;
      });
      return { value, replayed: false };
    } catch (err) {
      // Broken off (the client left, the database failed, the body was refused): the job says so,
      // with the counts of what landed (an abort's writes never do).
      const landed = abort && !query.dryRun ? { ...zero(), received: total.received, failed: total.failed } : undefined;
      await withTenant(db, ctx.tenantId, async (tx) => {
        await finishJob(tx, ctx.tenantId, job.id, 'failed', landed);
        // A run broken off is not an answer: a retry with the key runs again (and completes it).
        if (idempotency) await forgetKey(tx, ctx, idempotency.key);
      }).catch(
        () => undefined, // the database is gone too: the stale heartbeat fails the job later
      );
      throw err;
    } finally {
      clearInterval(heartbeat);
      await batches.return(undefined);
    }
  }

  return {
    run,

    async get(ctx: RequestContext, id: string): Promise<ImportJob> {
      requireScope(ctx, 'import');
      const row = isUuid(id) ? await withTenantRead(db, ctx.tenantId, (tx) => selectJob(tx, ctx.tenantId, id), { oneStatement: true }) : undefined;
      if (!row) throw new AppError('not_found', `No import ${id}.`);
      return jobOf(row);
    },

    /** Newest first; `cursors`: each job's own (GraphQL's edges), the one after which the next page starts. */
    async list(ctx: RequestContext, query: ImportListQuery): Promise<{ data: ImportJob[]; nextCursor: string | null; cursors: string[] }> {
      requireScope(ctx, 'import');
      const before = query.cursor ? decodeKey(query.cursor, (key) => (Array.isArray(key) && key.length === 1 && typeof key[0] === 'string' && isUuid(key[0]) ? key[0] : undefined)) : undefined;
      const rows = await withTenantRead(db, ctx.tenantId, (tx) => selectJobs(tx, ctx.tenantId, { status: query.status, entity: query.entity, before }, query.limit), { oneStatement: true });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { data: page.map(jobOf), nextCursor: rows.length > query.limit && last ? encodeKey([last.id]) : null, cursors: page.map((row) => encodeKey([row.id])) };
    },

    /** A job's errors in row order. */
    async errors(ctx: RequestContext, id: string, query: ImportErrorsQuery): Promise<{ data: ImportError[]; nextCursor: string | null; cursors: string[] }> {
      await this.get(ctx, id);
      // A cursor names the last error seen and its job: one of another job's pages is refused.
      const after = query.cursor
        ? decodeKey(query.cursor, (key) => (Array.isArray(key) && key.length === 2 && Number.isSafeInteger(key[0]) && (key[0] as number) > 0 && key[1] === id.toLowerCase() ? (key[0] as number) : undefined))
        : 0;
      const rows = await withTenantRead(db, ctx.tenantId, (tx) => selectErrors(tx, ctx.tenantId, id, after, query.limit), { oneStatement: true });
      const page = rows.slice(0, query.limit);
      const last = page[page.length - 1];
      return { data: page.map(({ seq: _seq, ...error }) => error), nextCursor: rows.length > query.limit && last ? encodeKey([last.seq, id.toLowerCase()]) : null, cursors: page.map((row) => encodeKey([row.seq, id.toLowerCase()])) };
    },
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
