import type { Db } from '../../db/client.js';
import { createEntityService } from '../shared/entity-service.js';
import { presentRecords } from '../shared/records.js';
import { questionTemplatesRepository, refuseCascade, templateDependents, type QuestionTemplateRow } from './question-templates.repository.js';
import { QuestionTemplateInput, QuestionTemplateListQuery } from './question-templates.schemas.js';

export function createQuestionTemplatesService(db: Db) {
  return createEntityService(db, {
    noun: 'question template',
    repository: questionTemplatesRepository,
    Input: QuestionTemplateInput,
    Query: QuestionTemplateListQuery,
    present: presentRecords<QuestionTemplateRow>,
    toValues: (input) => input,
    dependents: templateDependents,
    cascade: refuseCascade,
    constraintPaths: {},
    // The record is its row: GraphQL may build it as JSON in SQL.
    recordColumns: {},
  });
}
export type QuestionTemplatesService = ReturnType<typeof createQuestionTemplatesService>;
