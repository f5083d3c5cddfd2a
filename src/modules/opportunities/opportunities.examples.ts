// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const createOpportunityExamples = [
  {
    externalId: 'opp-2026-0007',
    seekerId: exampleIds.ana,
    organizationId: exampleIds.acmeRobotics,
    title: 'Robotics software intern, summer 2027',
    kind: 'internship',
    advertised: false,
    source: 'referral',
    referredById: exampleIds.ben,
    sourceInterviewId: exampleIds.interview,
    tags: ['robotics'],
  },
];

export const updateOpportunityExamples = [{ status: 'applied', url: 'https://careers.acme-robotics.example/intern-2027' }];

export const opportunityExamples = [
  {
    id: exampleIds.opportunity,
    externalId: 'opp-2026-0007',
    createdAt: '2026-10-08T09:00:00.000Z',
    updatedAt: '2026-10-20T14:10:00.000Z',
    version: 2,
    seekerId: exampleIds.ana,
    organizationId: exampleIds.acmeRobotics,
    title: 'Robotics software intern, summer 2027',
    kind: 'internship',
    advertised: false,
    source: 'referral',
    referredById: exampleIds.ben,
    sourceInterviewId: exampleIds.interview,
    status: 'applied',
    appliedAt: '2026-10-20T14:10:00.000Z',
    offeredAt: null,
    decidedAt: null,
    location: 'Pittsburgh, PA',
    url: 'https://careers.acme-robotics.example/intern-2027',
    tags: ['robotics'],
    notes: 'Ben passed it on in their interview, before it was posted.',
  },
];
