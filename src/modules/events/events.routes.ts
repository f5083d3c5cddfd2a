import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { EVENT_TYPES, EventPage, EventQuery } from './events.schemas.js';

const eventsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v1/events',
    {
      schema: {
        operationId: 'listEvents',
        summary: 'The change feed',
        description:
          'Every create, update and delete of the tenant\'s records, in commit order, one event per record per transaction. Follow `nextCursor`: ' +
          'an event that commits later never appears behind a cursor already handed out. Events are kept EVENT_RETENTION_DAYS (30); ' +
          'a cursor older than that is a 410 (resync: `after=latest`, read the lists, then follow from that cursor). Types: ' +
          EVENT_TYPES.map((t) => `\`${t}\``).join(', ') +
          '.',
        tags: ['events'],
        querystring: EventQuery,
        response: { 200: EventPage, ...ProblemResponses(400, 401, 403, 410, 503) },
      },
    },
    (request) => app.services.events.list(requestContext(request), request.query),
  );
};
export default eventsRoutes;
