import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { IdParams } from '../shared/common.schemas.js';
import { summaryCsv } from './analytics.csv.js';
import { AnalyticsFilter, AnalyticsSummary, PersonProgress } from './analytics.schemas.js';

/** The q of the Accept header's best range for `type` (exact, then `text/*`, then `*\/*`); 1 without a header. */
function qualityOf(accept: string | undefined, type: string): number {
  if (!accept) return type === 'application/json' ? 1 : 0;
  const ranges = accept.split(',').map((part) => {
    const [range, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = q ? Number(q.slice(2)) : 1;
    return { range: range!.trim(), q: Number.isFinite(value) ? value : 0 };
  });
  for (const candidate of [type, `${type.split('/')[0]}/*`, '*/*']) {
    const found = ranges.find((r) => r.range === candidate);
    if (found) return found.q;
  }
  return 0;
}

/** CSV when the caller prefers it to JSON; JSON otherwise (also for an Accept naming neither). */
export const prefersCsv = (accept: string | undefined) => {
  const csv = qualityOf(accept, 'text/csv');
  return csv > 0 && csv > qualityOf(accept, 'application/json');
};

const analyticsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/analytics/summary',
    {
      schema: {
        operationId: 'getAnalyticsSummary',
        summary: 'The figures a career center reports',
        description:
          'Every figure of domain.md ("Analytics: the figures, defined"), for a period [from, to) and a population of the person each figure is about. ' +
          '`Accept: text/csv` answers the same figures as one CSV table (`figure,key,numerator,denominator,value`).',
        tags: ['analytics'],
        querystring: AnalyticsFilter,
        headers: z.looseObject({ accept: z.string().optional().meta({ description: '`text/csv` for a spreadsheet; JSON otherwise.' }) }),
        response: {
          200: {
            description: 'The figures',
            content: { 'application/json': { schema: AnalyticsSummary }, 'text/csv': { schema: z.string().meta({ examples: ['figure,key,numerator,denominator,value\r\nthank_you_rate,,3,4,0.75\r\n'] }) } },
          },
          ...ProblemResponses(400, 401, 403, 503),
        },
      },
    },
    async (request, reply) => {
      const summary = await app.services.analytics.summary(requestContext(request), request.query);
      reply.header('vary', 'Accept');
      if (!prefersCsv(request.headers.accept)) return summary;
      return reply.type('text/csv; charset=utf-8').serializer((payload: unknown) => payload as string).send(summaryCsv(summary));
    },
  );

  app.get(
    '/v1/people/:id/progress',
    {
      schema: {
        operationId: 'getPersonProgress',
        summary: "A person's progress",
        description: 'Their interviews over time, their ratings, their network by month, their opportunities by status, and their active strategy.',
        tags: ['people'],
        params: IdParams,
        response: { 200: PersonProgress, ...ProblemResponses(400, 401, 403, 404, 503) },
      },
    },
    (request) => app.services.analytics.progress(requestContext(request), request.params.id),
  );
};
export default analyticsRoutes;
