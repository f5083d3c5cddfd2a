import type { EntityService } from '../shared/entity-service.js';
import { entityRoutes } from '../shared/entity.routes.js';
import { Interview, InterviewInput, InterviewListQuery, InterviewPatch } from './interviews.schemas.js';

export default entityRoutes({
  path: 'interviews',
  singular: 'Interview',
  plural: 'Interviews',
  Record: Interview,
  Input: InterviewInput,
  Patch: InterviewPatch,
  Query: InterviewListQuery,
  // Typed here: the registry's Services type is built from this module.
  service: (app): EntityService<Interview> => app.services.interviews,
});
