import { z } from 'zod';
import { ERRORS } from '../errors.js';

// The problem+json shape of every REST error, for the route schemas and openapi.yaml.

export const Problem = z
  .object({
    type: z.string().meta({ example: 'urn:problem:validation_failed' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(ERRORS) as [keyof typeof ERRORS, ...(keyof typeof ERRORS)[]]),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    requestId: z.string(),
    dependents: z
      .record(z.string(), z.number().int())
      .optional()
      .meta({ description: 'On a refused delete (409): how many records of each kind refer to this one.' }),
    allowed: z.array(z.string()).optional().meta({ description: 'On `invalid_transition` (409): the states allowed next.' }),
    currentVersion: z.number().int().optional().meta({ description: 'On `precondition_failed` (412): the version now stored.' }),
    requiredScope: z.string().optional().meta({ description: 'On `forbidden` (403): the scope the key lacks.' }),
    errorCount: z
      .number()
      .int()
      .optional()
      .meta({ description: 'With `errors`: how many problems there were; `errors` lists the first 100.' }),
  })
  .catchall(z.unknown())
  .meta({
    id: 'Problem',
    description: 'An RFC 9457 problem; `code` is stable, `detail` is for people.',
    examples: [
      {
        type: 'urn:problem:validation_failed',
        title: 'Validation failed',
        status: 400,
        detail: 'The input is not valid; see `errors`.',
        code: 'validation_failed',
        errors: [
          { path: 'emails.0', message: 'must be an email address' },
          { path: 'graduationYear', message: 'must be at most 2100' },
        ],
        requestId: '0f8e2b6a-4c1d-4e7b-9a3f-5d2c8b1e7a64',
      },
    ],
  });

/**
 * The problem responses a route can give, for its schema: `...ProblemResponses(401, 403)`.
 * Every route of the API is behind a key and its budget, so 429 is always among them.
 */
export const ProblemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    [...new Set([...statuses, 429])].sort().map((status) => [status, { description: describeStatus(status), content: { 'application/problem+json': { schema: Problem } } }]),
  );

const describeStatus = (status: number) =>
  Object.values(ERRORS)
    .filter((e) => e.status === status)
    .map((e) => e.title)
    .join(' / ');
