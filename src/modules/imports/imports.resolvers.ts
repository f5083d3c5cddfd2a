import type { IResolvers } from 'mercurius';
import { importEntities, importFormats, importModes, importOnErrors, importStatuses } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { graphqlEnum } from '../../graphql/enums.js';
import { asConnection } from '../../graphql/mutations.js';
import { ImportErrorsQuery, ImportListQuery, type ImportJob } from './imports.schemas.js';
import type { ImportsService } from './imports.service.js';

const EntityEnum = graphqlEnum(importEntities, { 'career-strategies': 'CAREER_STRATEGIES' });
const StatusEnum = graphqlEnum(importStatuses);
const FormatEnum = graphqlEnum(importFormats);
const ModeEnum = graphqlEnum(importModes);
const OnErrorEnum = graphqlEnum(importOnErrors);

/** A page of the service as a connection of nodes, with each item's own cursor. */
const pageOf = <T>(page: { data: T[]; nextCursor: string | null; cursors: string[] }, after: string | null | undefined) => ({
  nodes: page.data,
  pageInfo: { hasNextPage: page.nextCursor !== null, hasPreviousPage: Boolean(after), startCursor: page.cursors[0] ?? null, endCursor: page.cursors[page.cursors.length - 1] ?? null },
});

/** Import jobs over the same service as REST's GET /v1/imports (and its IMPORT scope). */
export function importsResolvers(imports: ImportsService): IResolvers {
  return {
    Query: {
      importJob: async (_root, { id }: { id: string }, { requestContext }) =>
        imports.get(requestContext, id).catch((err: unknown) => {
          if (err instanceof AppError && err.code === 'not_found') return null;
          throw err;
        }),
      importJobs: async (_root, args: { first: number; after?: string | null; filter?: { status?: string | null; entity?: string | null } | null }, { requestContext }) => {
        const query = ImportListQuery.safeParse({
          limit: String(args.first),
          ...(args.after ? { cursor: args.after } : {}),
          ...(args.filter?.status ? { status: StatusEnum.in(args.filter.status) } : {}),
          ...(args.filter?.entity ? { entity: EntityEnum.in(args.filter.entity) } : {}),
        });
        if (!query.success) throw new AppError('validation_failed', '`first` is from 1 to 100.', { errors: [{ path: 'first', message: 'must be from 1 to 100' }] });
        return pageOf(await asConnection(() => imports.list(requestContext, query.data)), args.after);
      },
    },
    ImportJob: {
      entity: (job: ImportJob) => EntityEnum.out(job.entity),
      status: (job: ImportJob) => StatusEnum.out(job.status),
      format: (job: ImportJob) => FormatEnum.out(job.format),
      mode: (job: ImportJob) => ModeEnum.out(job.mode),
      onError: (job: ImportJob) => OnErrorEnum.out(job.onError),
      errors: async (job: ImportJob, args: { first: number; after?: string | null }, { requestContext }) => {
        const query = ImportErrorsQuery.safeParse({ limit: String(args.first), ...(args.after ? { cursor: args.after } : {}) });
        if (!query.success) throw new AppError('validation_failed', '`first` is from 1 to 1000.', { errors: [{ path: 'first', message: 'must be from 1 to 1000' }] });
        return pageOf(await asConnection(() => imports.errors(requestContext, job.id, query.data)), args.after);
      },
    },
  } as IResolvers;
}
