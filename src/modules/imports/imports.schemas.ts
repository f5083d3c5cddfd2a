import { z } from 'zod';
import { importEntities, importFormats, importModes, importOnErrors, importStatuses } from '../../db/schema/index.js';
import { ListQueryFields, OneOf, Uuid } from '../shared/common.schemas.js';

const trueOrFalse = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .optional()
  .transform((v) => v === 'true');

export const ImportEntityParams = z.strictObject({
  entity: OneOf(importEntities).meta({ description: 'What the rows are.' }),
});

export const ImportQuery = z.strictObject({
  mode: OneOf(importModes).default('upsert').meta({ description: '`upsert` matches rows on `externalId` (which each row then needs); `create` adds every row, and refuses an `externalId` already stored.' }),
  dryRun: trueOrFalse.meta({ description: 'Check and count every row as the import would, and write nothing.' }),
  onError: OneOf(importOnErrors)
    .default('skip')
    .meta({ description: '`skip`: good rows land, bad rows are reported; `abort`: nothing lands if any row is bad.' }),
});
export type ImportQuery = z.output<typeof ImportQuery>;

export const ImportCounts = z.object({
  received: z.number().int().describe('Rows read from the body.'),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int().describe('Rows equal to what is stored: nothing written.'),
  failed: z.number().int().describe('Rows refused; each has its errors.'),
});

export const ImportError = z.object({
  row: z.number().int().describe('The row, from 1: the first NDJSON line, the first CSV record after the header, the first array element (0: the CSV header).'),
  externalId: z.string().nullable(),
  path: z.string().describe('The field, as in the row (`organizationExternalId`, `questions.2.question`); empty for a row that could not be read.'),
  message: z.string(),
});
export type ImportError = z.output<typeof ImportError>;

export const ImportJob = z
  .object({
    id: z.uuid(),
    entity: z.enum(importEntities),
    format: z.enum(importFormats),
    mode: z.enum(importModes),
    dryRun: z.boolean(),
    onError: z.enum(importOnErrors),
    status: z
      .enum(importStatuses)
      .describe('`running`; `succeeded`; `partially_succeeded` (some rows failed under onError=skip); `failed` (aborted, or broken off: the counts say what landed).'),
    counts: ImportCounts,
    startedAt: z.iso.datetime().nullable(),
    finishedAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'ImportJob' });
export type ImportJob = z.output<typeof ImportJob>;

/** The answer to an import: the finished job and its first errors. */
export const FinishedImport = ImportJob.extend({
  errors: z.array(ImportError).describe('The first 100 errors; `GET /v1/imports/{id}/errors` pages them all.'),
}).meta({ id: 'FinishedImport' });
export type FinishedImport = z.output<typeof FinishedImport>;

export const ImportListQuery = z.strictObject({
  status: OneOf(importStatuses).optional(),
  entity: OneOf(importEntities).optional(),
  limit: ListQueryFields.limit,
  cursor: ListQueryFields.cursor,
});
export type ImportListQuery = z.output<typeof ImportListQuery>;

export const ImportErrorsQuery = z.strictObject({
  limit: z.coerce.number({ message: 'must be a whole number from 1 to 1000' }).int('must be a whole number from 1 to 1000').min(1, 'must be at least 1').max(1000, 'must be at most 1000').default(100),
  cursor: ListQueryFields.cursor,
});
export type ImportErrorsQuery = z.output<typeof ImportErrorsQuery>;

export const ImportIdParams = z.strictObject({ id: Uuid });
