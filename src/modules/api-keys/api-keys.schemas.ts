import { z } from 'zod';
import { SCOPES } from '../../context.js';
import { Instant, OneOf, RequiredText } from '../shared/common.schemas.js';
import { apiKeyExamples, createdApiKeyExamples } from './api-keys.examples.js';

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
    examples: apiKeyExamples,
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
    examples: createdApiKeyExamples,
  });
export type CreatedApiKey = z.output<typeof CreatedApiKey>;
