// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const createOrganizationExamples = [
  {
    externalId: 'org-acme-robotics',
    name: 'Acme Robotics',
    website: 'https://acme-robotics.example.com',
    industry: 'Robotics',
    size: '201-1000',
    location: 'Pittsburgh, PA',
    tags: ['robotics', 'internships'],
  },
];

export const organizationExamples = [
  {
    id: exampleIds.acmeRobotics,
    externalId: 'org-acme-robotics',
    createdAt: '2026-09-01T14:05:00.000Z',
    updatedAt: '2026-09-01T14:05:00.000Z',
    version: 1,
    name: 'Acme Robotics',
    website: 'https://acme-robotics.example.com',
    industry: 'Robotics',
    size: '201-1000',
    location: 'Pittsburgh, PA',
    description: 'Builds autonomous mobile robots for warehouses.',
    tags: ['robotics', 'internships'],
  },
];
