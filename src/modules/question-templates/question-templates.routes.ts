import type { EntityService } from '../shared/entity-service.js';
import { entityRoutes } from '../shared/entity.routes.js';
import { QuestionTemplate, QuestionTemplateInput, QuestionTemplateListQuery, QuestionTemplatePatch } from './question-templates.schemas.js';

export default entityRoutes({
  path: 'question-templates',
  singular: 'QuestionTemplate',
  plural: 'QuestionTemplates',
  Record: QuestionTemplate,
  Input: QuestionTemplateInput,
  Patch: QuestionTemplatePatch,
  Query: QuestionTemplateListQuery,
  // Typed here: the registry's Services type is built from this module.
  service: (app): EntityService<QuestionTemplate> => app.services.questionTemplates,
});
