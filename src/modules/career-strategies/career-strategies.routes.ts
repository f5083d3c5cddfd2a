import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { IdParams, PageOf } from '../shared/common.schemas.js';
import type { EntityService } from '../shared/entity-service.js';
import { entityRoutes } from '../shared/entity.routes.js';
import {
  CareerStrategy,
  CareerStrategyInput,
  CareerStrategyListQuery,
  CareerStrategyPatch,
  CareerStrategyRevision,
  CareerStrategyRevisionQuery,
} from './career-strategies.schemas.js';

const crud = entityRoutes({
  path: 'career-strategies',
  singular: 'CareerStrategy',
  plural: 'CareerStrategies',
  Record: CareerStrategy,
  Input: CareerStrategyInput,
  Patch: CareerStrategyPatch,
  Query: CareerStrategyListQuery,
  // Typed here: the registry's Services type is built from this module.
  service: (app): EntityService<CareerStrategy> => app.services.careerStrategies,
});

const careerStrategiesRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(crud);

  app.get(
    '/v1/career-strategies/:id/revisions',
    {
      schema: {
        operationId: 'listCareerStrategyRevisions',
        summary: "List a career strategy's earlier states",
        description:
          'Every change keeps the state it replaced, as revision = the version it had; the current state is the strategy ' +
          'itself, so a strategy never changed has none. Oldest first, keyset-paginated: pass `nextCursor` back as `cursor`.',
        tags: ['career-strategies'],
        params: IdParams,
        querystring: CareerStrategyRevisionQuery,
        response: {
          200: PageOf(CareerStrategyRevision).describe('A page of revisions'),
          ...ProblemResponses(400, 401, 403, 404, 503),
        },
      },
    },
    (request) => app.services.careerStrategies.revisions(requestContext(request), request.params.id, request.query),
  );
};

export default careerStrategiesRoutes;
