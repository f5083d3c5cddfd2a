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
  service: (app) => app.services.interviews,
});
