// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const createRelationshipExamples = [
  {
    personId: exampleIds.ana,
    contactId: exampleIds.ben,
    kind: 'alumnus',
    source: 'alumni_network',
    strength: 1,
    notes: 'Met at the fall robotics alumni panel.',
  },
];

export const relationshipExamples = [
  {
    id: exampleIds.relationship,
    externalId: null,
    createdAt: '2026-09-08T11:20:00.000Z',
    updatedAt: '2026-10-06T16:50:00.000Z',
    version: 2,
    personId: exampleIds.ana,
    contactId: exampleIds.ben,
    kind: 'alumnus',
    source: 'alumni_network',
    introducedById: null,
    strength: 3,
    lastContactedAt: '2026-10-06T16:45:00.000Z',
    notes: 'Met at the fall robotics alumni panel.',
  },
];
