import { z } from 'zod';
import { SCOPES } from '../../context.js';
import { Instant, OneOf, RequiredText } from '../shared/common.schemas.js';
import { exampleIds } from '../shared/examples.js';

export const Scope = OneOf(SCOPES);

export const ApiKeyInput = z
  .strictObject({
    name: RequiredText(100),
    scopes: z.array(Scope).min(1, 'at least one scope is required').max(SCOPES.length),
    expiresAt: Instant.nullish()
      .transform((v) => (v ? new Date(v) : null))
      .refine((d) => d === null || d.getTime() > Date.now(), 'must be in the future'),
  })
  .meta({
    id: 'CreateApiKey',
    examples: [{ name: 'Career center CRM sync', scopes: ['read', 'write', 'import'], expiresAt: '2030-09-01T00:00:00Z' }],
  });

export const ApiKey = z
  .object({
    id: z.uuid(),
    name: z.string(),
    scopes: z.array(Scope),
    prefix: z.string().meta({ description: 'The public start of the key, to recognise it; not a secret.', example: 'iik_3f9c0a1b2d4e' }),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime().nullable(),
    lastUsedAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({
    id: 'ApiKey',
    examples: [
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
    ],
  });
export type ApiKey = z.output<typeof ApiKey>;

// The answer to a create: the key as listed, less what has not happened yet, plus the secret.
export const CreatedApiKey = ApiKey.omit({ lastUsedAt: true, revokedAt: true })
  .extend({
    secret: z
      .string()
      .optional()
      .meta({ description: 'The key itself: shown this once, stored only as a hash. Absent from an idempotent replay (`Idempotent-Replayed: true`).' }),
  })
  .meta({
    id: 'CreatedApiKey',
    examples: [
      {
        id: exampleIds.apiKey,
        name: 'Career center CRM sync',
        scopes: ['read', 'write', 'import'],
        prefix: 'iik_3f9c0a1b2d4e',
        createdAt: '2026-08-17T09:30:00.000Z',
        expiresAt: '2030-09-01T00:00:00.000Z',
        secret: 'iik_3f9c0a1b2d4e_Xq7vR2mK9pL4sT8wY1zB6nC3dF5gH0jA2eU7iO9kM4q',
      },
    ],
  });
export type CreatedApiKey = z.output<typeof CreatedApiKey>;
