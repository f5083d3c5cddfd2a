import { z } from 'zod';
import { exampleIds } from '../shared/examples.js';

export const Tenant = z
  .object({
    id: z.uuid(),
    name: z.string(),
    slug: z.string(),
    createdAt: z.iso.datetime(),
  })
  .meta({
    id: 'Tenant',
    description: "The caller's tenant.",
    examples: [
      { id: exampleIds.tenant, name: 'Northfield University Career Center', slug: 'northfield-career-center', createdAt: '2026-08-17T09:00:00.000Z' },
    ],
  });
export type Tenant = z.output<typeof Tenant>;
