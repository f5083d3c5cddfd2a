import type { IResolvers } from 'mercurius';
import { questionCategories } from '../../db/schema/index.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, recordLoader, totalCountLoader } from '../../graphql/loaders.js';
import { mergeResolvers } from '../../graphql/merge.js';
import type { QuestionTemplate } from './question-templates.schemas.js';
import type { QuestionTemplatesService } from './question-templates.service.js';

export const QuestionCategoryEnum = graphqlEnum(questionCategories);

const toRest = enumInputs({ category: QuestionCategoryEnum });

export function questionTemplatesResolvers(templates: QuestionTemplatesService): IResolvers {
  return mergeResolvers([
    entityResolvers(templates, { one: 'questionTemplate', many: 'questionTemplates', type: 'QuestionTemplate' }, toRest),
    { QuestionTemplate: { category: (q: QuestionTemplate) => QuestionCategoryEnum.out(q.category) } },
  ]);
}

/** Relations, batched per request (see src/graphql/loaders.ts). */
export function questionTemplatesLoaders(templates: QuestionTemplatesService): Loaders {
  return {
    InterviewQuestion: { template: recordLoader<{ templateId?: string }>(templates, 'templateId') },
    QuestionTemplateConnection: { totalCount: totalCountLoader(templates) },
  };
}
