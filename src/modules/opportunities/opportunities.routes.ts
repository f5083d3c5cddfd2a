import type { EntityService } from '../shared/entity-service.js';
import { entityRoutes } from '../shared/entity.routes.js';
import { Opportunity, OpportunityInput, OpportunityListQuery, OpportunityPatch } from './opportunities.schemas.js';

export default entityRoutes({
  path: 'opportunities',
  singular: 'Opportunity',
  plural: 'Opportunities',
  Record: Opportunity,
  Input: OpportunityInput,
  Patch: OpportunityPatch,
  Query: OpportunityListQuery,
  // Typed here: the registry's Services type is built from this module.
  service: (app): EntityService<Opportunity> => app.services.opportunities,
});
