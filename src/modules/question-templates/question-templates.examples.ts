// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const createQuestionTemplateExamples = [
  {
    text: 'What does a typical week on your team look like?',
    category: 'role_and_day',
    tags: ['starter'],
  },
];

export const questionTemplateExamples = [
  {
    id: exampleIds.questionTemplate,
    externalId: null,
    createdAt: '2026-09-01T08:00:00.000Z',
    updatedAt: '2026-09-01T08:00:00.000Z',
    version: 1,
    text: 'What does a typical week on your team look like?',
    category: 'role_and_day',
    tags: ['starter'],
    active: true,
  },
];
