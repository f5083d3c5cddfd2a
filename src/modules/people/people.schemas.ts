import { z } from 'zod';
import { personRoles } from '../../db/schema/index.js';
import {
  ExternalId,
  IntRange,
  ListQueryFields,
  OneOf,
  OptionalText,
  OptionalUrl,
  OptionalUuid,
  RecordFields,
  RequiredText,
  Tags,
  Uuid,
} from '../shared/common.schemas.js';
import { createPersonExamples, personExamples } from './people.examples.js';

export const PersonRole = OneOf(personRoles);

// Trimmed before the format check (zod checks a format before its own trim), stored lower-cased.
const Email = z
  .preprocess((v) => (typeof v === 'string' ? v.trim() : v), z.email({ message: 'must be an email address' }).max(320, 'must be at most 320 characters'))
  .transform((v) => v.toLowerCase());

/** Absent or null is the empty list; addresses that differ only in case are one address. */
const Emails = z
  .array(Email)
  .max(10, 'must have at most 10 items')
  .nullish()
  .transform((v) => [...new Set(v ?? [])]);

const Roles = z
  .array(PersonRole)
  .nullish()
  .transform((v) => [...new Set(v ?? [])]);

/** Create and full-replace (PUT) input; the one schema REST, GraphQL and imports parse. */
export const PersonInput = z
  .strictObject({
    externalId: ExternalId.nullish().transform((v) => v ?? null),
    fullName: RequiredText(200),
    preferredName: OptionalText(100),
    pronouns: OptionalText(100),
    emails: Emails,
    phone: OptionalText(50),
    location: OptionalText(200),
    headline: OptionalText(300),
    linkedinUrl: OptionalUrl,
    roles: Roles,
    program: OptionalText(200),
    graduationYear: IntRange(1900, 2100, 'year')
      .nullish()
      .transform((v) => v ?? null),
    organizationId: OptionalUuid.meta({ description: 'Current employer: an organization of the same tenant.' }),
    title: OptionalText(200),
    tags: Tags,
    doNotContact: z
      .boolean({ message: 'must be true or false' })
      .nullish()
      .transform((v) => v ?? false)
      .meta({ description: 'No new interview may be planned or requested with this person. Default false.' }),
    notes: OptionalText(10_000),
  })
  .meta({
    id: 'CreatePerson',
    description: 'Anyone in the network: students, alumni, professionals, mentors, advisors.',
    examples: createPersonExamples,
  });
export type PersonInput = z.output<typeof PersonInput>;

export const PersonPatch = PersonInput.partial().meta({
  id: 'UpdatePerson',
  description: 'A merge patch: only the fields to change; null clears a field.',
  examples: [{ title: 'Staff Robotics Engineer', phone: null }],
});

export const Person = z
  .object({
    ...RecordFields,
    fullName: z.string(),
    preferredName: z.string().nullable(),
    pronouns: z.string().nullable(),
    emails: z.array(z.string()),
    phone: z.string().nullable(),
    location: z.string().nullable(),
    headline: z.string().nullable(),
    linkedinUrl: z.string().nullable(),
    roles: z.array(PersonRole),
    program: z.string().nullable(),
    graduationYear: z.number().int().nullable(),
    organizationId: z.uuid().nullable(),
    title: z.string().nullable(),
    tags: z.array(z.string()),
    doNotContact: z.boolean(),
    notes: z.string().nullable(),
  })
  .meta({
    id: 'Person',
    examples: personExamples,
  });
export type Person = z.output<typeof Person>;

export const PersonListQuery = z.strictObject({
  ...ListQueryFields,
  q: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .meta({
      description:
        'Words in fullName, preferredName or headline (case-insensitive, every word must match); ' +
        'the last word may be the start of a word: `ada lov` finds "Ada Lovelace".',
      examples: ['ben eng'],
    }),
  tag: z.string().trim().min(1).max(100).optional(),
  role: PersonRole.optional().meta({ examples: ['professional'] }),
  organizationId: Uuid.optional(),
});
export type PersonListQuery = z.output<typeof PersonListQuery>;
