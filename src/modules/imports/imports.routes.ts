import type { Readable } from 'node:stream';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { AppError } from '../../errors.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { requestContext } from '../../http/request-context.js';
import { IdempotencyHeaders, idempotencyKeyOf } from '../idempotency/idempotency.http.js';
import { PageOf } from '../shared/common.schemas.js';
import { watched } from './body-stream.js';
import type { ImportFormat } from './import-formats.js';
import { FinishedImport, ImportEntityParams, ImportError, ImportErrorsQuery, ImportIdParams, ImportJob, ImportListQuery, ImportQuery } from './imports.schemas.js';

const tags = ['imports'];

/** The body's media type as a format; anything else is a 415. */
const FORMATS: Record<string, ImportFormat> = { 'application/x-ndjson': 'ndjson', 'text/csv': 'csv', 'application/json': 'json' };

export interface ImportsRoutesOptions {
  config: Pick<Config, 'IMPORT_MAX_BYTES'>;
}

/** The body, counted as it streams: past `maxBytes` it fails with a 413. */
function bounded(body: Readable, maxBytes: number): Readable {
  let bytes = 0;
  const counted = watched(body, (chunk) => {
    bytes += chunk.length;
    if (bytes > maxBytes) throw new AppError('payload_too_large', `An import body holds at most ${maxBytes} bytes (IMPORT_MAX_BYTES); split the file.`);
  });
  // A client that leaves mid-body: the rows stop, and the job is failed with what landed.
  body.once('aborted', () => counted.destroy(new AppError('bad_request', 'The client closed the connection before the body ended.')));
  return counted;
}

const importsRoutes: FastifyPluginAsyncZod<ImportsRoutesOptions> = async (app, { config }) => {
  const maxBytes = config.IMPORT_MAX_BYTES;
  // The import bodies stream to the service as they arrive, never parsed here (this scope only).
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser(Object.keys(FORMATS), (_request, payload, done) => done(null, payload));

  app.post(
    '/v1/imports/:entity',
    {
      schema: {
        operationId: 'importRecords',
        summary: 'Import rows of one entity: created, replaced by externalId, or left unchanged; every bad row reported',
        description:
          'The body streams and is processed in batches, each committed with the job’s progress, so memory stays flat and a run broken off ' +
          'leaves exact counts. Rows name other records by `…ExternalId` (`organizationExternalId`, `personExternalId`, `contactExternalId`, ' +
          '`introducedByExternalId`, `requesterExternalId`, `intervieweeExternalId`) or by their `…Id`. In CSV, list cells are `;`-separated, ' +
          'an empty cell is absent, and a field of objects (an interview’s `questions`) is JSON. Re-importing a file writes nothing and counts ' +
          'every row `unchanged`. One import per tenant and entity runs at a time (409). A row problem is never a 4xx: it is in `errors`. ' +
          'With `Idempotency-Key`, a retry of a finished run reads the body through and answers the same job (`Idempotent-Replayed: true`; ' +
          'another body or other parameters: 422); a retry while it runs is a 409; a run broken off is not remembered, so its retry runs.',
        tags,
        params: ImportEntityParams,
        querystring: ImportQuery,
        headers: IdempotencyHeaders,
        consumes: Object.keys(FORMATS),
        body: z.unknown().describe('NDJSON (one JSON object a line), CSV with a header row, or a JSON array of objects.'),
        response: { 201: FinishedImport, ...ProblemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const mediaType = String(request.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim()
        .toLowerCase();
      const format = FORMATS[mediaType]!;
      const key = idempotencyKeyOf(request);
      const body = bounded(request.body as Readable, maxBytes);
      const { value, replayed } = await app.services.imports.run(requestContext(request), request.params.entity, format, request.query, body, key);
      reply.code(201).header('location', `/v1/imports/${value.id}`);
      if (replayed) reply.header('idempotent-replayed', 'true');
      return value;
    },
  );

  app.get(
    '/v1/imports',
    {
      schema: {
        operationId: 'listImports',
        summary: 'Import jobs, newest first (`status=running` for the ones in progress)',
        tags,
        querystring: ImportListQuery,
        response: { 200: PageOf(ImportJob), ...ProblemResponses(400, 401, 403, 503) },
      },
    },
    (request) => app.services.imports.list(requestContext(request), request.query),
  );

  app.get(
    '/v1/imports/:id',
    {
      schema: {
        operationId: 'getImport',
        summary: 'One import job: its status and counts, while it runs and after',
        tags,
        params: ImportIdParams,
        response: { 200: ImportJob, ...ProblemResponses(400, 401, 403, 404, 503) },
      },
    },
    (request) => app.services.imports.get(requestContext(request), request.params.id),
  );

  app.get(
    '/v1/imports/:id/errors',
    {
      schema: {
        operationId: 'listImportErrors',
        summary: 'An import job’s errors, in row order',
        tags,
        params: ImportIdParams,
        querystring: ImportErrorsQuery,
        response: { 200: PageOf(ImportError), ...ProblemResponses(400, 401, 403, 404, 503) },
      },
    },
    (request) => app.services.imports.errors(requestContext(request), request.params.id, request.query),
  );
};

export default importsRoutes;
