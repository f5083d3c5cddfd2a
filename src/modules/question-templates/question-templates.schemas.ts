import { z } from 'zod';
import { questionCategories } from '../../db/schema/index.js';
import { ExternalId, ListQueryFields, OneOf, QueryBoolean, RecordFields, RequiredText, Tags } from '../shared/common.schemas.js';
import { createQuestionTemplateExamples, questionTemplateExamples } from './question-templates.examples.js';

export const QuestionCategory = OneOf(questionCategories);

/** Create and full-replace (PUT) input; the one schema REST, GraphQL and imports parse. */
export const QuestionTemplateInput = z
  .strictObject({
    externalId: ExternalId.nullish().transform((v) => v ?? null),
    text: RequiredText(1000).meta({ description: 'The question, as the student would ask it.' }),
    category: QuestionCategory.nullish()
      .transform((v) => v ?? null)
      .meta({ description: 'What the question is about.' }),
    tags: Tags,
    active: z
      .boolean({ message: 'must be true or false' })
      .nullish()
      .transform((v) => v ?? true)
      .meta({ description: 'Offered for new interviews. Default true; a template interviews cite can be deactivated, not deleted.' }),
  })
  .meta({
    id: 'CreateQuestionTemplate',
    description: "A question of the tenant's bank, which an interview's questions may cite by templateId.",
    examples: createQuestionTemplateExamples,
  });
export type QuestionTemplateInput = z.output<typeof QuestionTemplateInput>;

export const QuestionTemplatePatch = QuestionTemplateInput.partial().meta({
  id: 'UpdateQuestionTemplate',
  description: 'A merge patch: only the fields to change; null clears a field.',
  examples: [{ active: false }],
});

export const QuestionTemplate = z
  .object({
    ...RecordFields,
    text: z.string(),
    category: QuestionCategory.nullable(),
    tags: z.array(z.string()),
    active: z.boolean(),
  })
  .meta({ id: 'QuestionTemplate', examples: questionTemplateExamples });
export type QuestionTemplate = z.output<typeof QuestionTemplate>;

export const QuestionTemplateListQuery = z.strictObject({
  ...ListQueryFields,
  category: QuestionCategory.optional().meta({ examples: ['next_steps_and_referrals'] }),
  active: QueryBoolean.optional()
    .meta({ description: 'true: the bank offered for new interviews.' }),
});
export type QuestionTemplateListQuery = z.output<typeof QuestionTemplateListQuery>;
