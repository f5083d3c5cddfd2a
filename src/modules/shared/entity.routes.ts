import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { DeleteQuery, ExternalIdParams, IdParams, PageOf } from './common.schemas.js';
import type { EntityService } from './entity-service.js';
import { etagOf, expectedVersionFrom, notModified } from './etag.js';
import { idempotencyKeyHeader } from '../idempotency/idempotency.http.js';
import { writeAnswer } from './representation.js';

export interface EntityRoutesOptions<Api extends { id: string; version: number }> {
  /** URL segment: `/v1/<path>`. */
  path: string;
  /** Names for operation ids and summaries: `Person` / `People`. */
  singular: string;
  plural: string;
  /** The record in a response, its input, its merge patch and its list query (zod). */
  Record: z.ZodType;
  Input: z.ZodType;
  Patch: z.ZodType;
  Query: z.ZodType;
  service: (app: FastifyInstance) => EntityService<Api>;
}

const Empty = z.null().describe('No body');


const preferHeader = z.string().optional().meta({
  description:
    '`return=minimal` (RFC 7240): answer without the record (201 with no body, 204 instead of 200), with ' +
    '`Preference-Applied: return=minimal`. A key without the `read` scope always gets the minimal answer.',
});

/** The six REST operations of api.md for one entity, as thin calls into its service. */
export function entityRoutes<Api extends { id: string; version: number }>(o: EntityRoutesOptions<Api>): FastifyPluginAsyncZod {
  const base = `/v1/${o.path}`;
  // CareerStrategy as "a career strategy", Interview as "an interview": summaries read as English.
  const words = (name: string) => name.replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase();
  const aRecord = `${/^[AEIOU]/.test(o.singular) ? 'an' : 'a'} ${words(o.singular)}`;
  const tags = [o.path];
  return async (app) => {
    const service = () => o.service(app);

    app.get(
      base,
      {
        schema: {
          operationId: `list${o.plural}`,
          summary: `List ${words(o.plural)}`,
          description: 'Keyset pagination in creation order: pass `nextCursor` back as `cursor` until it is null.',
          tags,
          querystring: o.Query,
          response: {
            200: PageOf(o.Record).describe(`A page of ${words(o.plural)}`),
            ...ProblemResponses(400, 401, 403, 503),
          },
        },
      },
      (request) => service().list(requestContext(request), request.query),
    );

    app.get(
      `${base}/:id`,
      {
        schema: {
          operationId: `get${o.singular}`,
          summary: `Read ${aRecord}`,
          description: 'Answers with `ETag: "<version>"`; `If-None-Match` with that tag answers 304.',
          tags,
          params: IdParams,
          headers: z.looseObject({ 'if-none-match': z.string().optional().meta({ description: 'An ETag from an earlier read: 304 while it is current.' }) }),
          response: { 200: o.Record, 304: Empty.describe('Not modified'), ...ProblemResponses(400, 401, 403, 404, 503) },
        },
      },
      async (request, reply) => {
        const record = await service().get(requestContext(request), request.params.id);
        reply.header('etag', etagOf(record.version));
        if (notModified(request.headers['if-none-match'], record.version)) return reply.code(304).send(null);
        return record;
      },
    );

    app.post(
      base,
      {
        config: { idempotent: true },
        schema: {
          operationId: `create${o.singular}`,
          summary: `Create ${aRecord}`,
          description: 'Accepts `Idempotency-Key`: a retry with the same key and body replays the first answer.',
          tags,
          headers: z.looseObject({ 'idempotency-key': idempotencyKeyHeader, prefer: preferHeader }),
          body: o.Input,
          response: { 201: o.Record.describe('Created (no body with `Prefer: return=minimal`)'), ...ProblemResponses(400, 401, 403, 409, 413, 415, 422, 503) },
        },
      },
      async (request, reply) => {
        const ctx = requestContext(request);
        const { record, replayed } = await service().create(ctx, request.body, { idempotency: request.idempotency });
        if (replayed) reply.header('idempotent-replayed', 'true');
        reply.header('location', `${base}/${record.id}`).header('etag', etagOf(record.version)).code(201);
        return writeAnswer(request, reply, ctx, record);
      },
    );

    app.patch(
      `${base}/:id`,
      {
        schema: {
          operationId: `update${o.singular}`,
          summary: `Change ${aRecord} (merge patch)`,
          description:
            'A JSON merge patch (`application/merge-patch+json` or `application/json`): a field set to null is cleared. ' +
            'A patch that changes nothing keeps the version. `If-Match: "<version>"` makes a stale write a 412.',
          tags,
          params: IdParams,
          headers: z.looseObject({
            'if-match': z.string().optional().meta({ description: 'The ETag of the version you changed: 412 when it is stale.' }),
            prefer: preferHeader,
          }),
          body: o.Patch,
          response: { 200: o.Record, 204: Empty.describe('Changed (`Prefer: return=minimal`)'), ...ProblemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503) },
        },
      },
      async (request, reply) => {
        const ctx = requestContext(request);
        const expected = expectedVersionFrom(request.headers['if-match']);
        const record = await service().update(ctx, request.params.id, request.body, expected);
        reply.header('etag', etagOf(record.version));
        return writeAnswer(request, reply, ctx, record);
      },
    );

    app.put(
      `${base}/external/:externalId`,
      {
        schema: {
          operationId: `upsert${o.singular}ByExternalId`,
          summary: `Create or replace ${aRecord} by your external ID`,
          description: 'A full representation: optional fields left out are cleared. 201 when created, 200 when it existed.',
          tags,
          params: ExternalIdParams,
          headers: z.looseObject({ prefer: preferHeader }),
          body: o.Input,
          response: {
            200: o.Record,
            201: o.Record.describe('Created (no body with `Prefer: return=minimal`)'),
            204: Empty.describe('Replaced (`Prefer: return=minimal`)'),
            ...ProblemResponses(400, 401, 403, 409, 413, 415, 503),
          },
        },
      },
      async (request, reply) => {
        const ctx = requestContext(request);
        const { record, created } = await service().upsert(ctx, request.params.externalId, request.body);
        reply.header('etag', etagOf(record.version)).code(created ? 201 : 200);
        if (created) reply.header('location', `${base}/${record.id}`);
        return writeAnswer(request, reply, ctx, record);
      },
    );

    app.delete(
      `${base}/:id`,
      {
        schema: {
          operationId: `delete${o.singular}`,
          summary: `Delete ${aRecord}`,
          description:
            'A record others refer to is a 409 naming its `dependents`, unless `cascade=true`, which deletes the records ' +
            'that require it and clears optional references to it.',
          tags,
          params: IdParams,
          querystring: DeleteQuery,
          response: { 204: Empty, ...ProblemResponses(400, 401, 403, 404, 409, 503) },
        },
      },
      async (request, reply) => {
        await service().remove(requestContext(request), request.params.id, { cascade: request.query.cascade });
        return reply.code(204).send(null);
      },
    );
  };
}
