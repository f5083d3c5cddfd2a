// The examples openapi.yaml shows for this module's shapes: one scenario, told in shared/examples.ts.
import { exampleIds } from '../shared/examples.js';

export const apiKeyExamples = [
  {
    id: exampleIds.apiKey,
    name: 'Career center CRM sync',
    scopes: ['read', 'write', 'import'],
    prefix: 'iik_3f9c0a1b2d4e',
    createdAt: '2026-08-17T09:30:00.000Z',
    expiresAt: '2030-09-01T00:00:00.000Z',
    lastUsedAt: '2026-11-20T08:12:44.000Z',
    revokedAt: null,
  },
];

export const createdApiKeyExamples = [
  {
    id: exampleIds.apiKey,
    name: 'Career center CRM sync',
    scopes: ['read', 'write', 'import'],
    prefix: 'iik_3f9c0a1b2d4e',
    createdAt: '2026-08-17T09:30:00.000Z',
    expiresAt: '2030-09-01T00:00:00.000Z',
    secret: 'iik_3f9c0a1b2d4e_Xq7vR2mK9pL4sT8wY1zB6nC3dF5gH0jA2eU7iO9kM4q',
  },
];
