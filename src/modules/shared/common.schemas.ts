import { z } from 'zod';

// Building blocks of every entity's zod schemas: written once, used by REST, GraphQL and import.

/** The one UUID check of the code (zod's `Uuid` below for inputs). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID_PATTERN.test(value);

// Lower-cased so that the same ID in another case is the same ID (and a patch with it a no-op).
export const Uuid = z.uuid({ message: 'must be a UUID' }).transform((v) => v.toLowerCase());

export const ExternalId = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .meta({ description: "The caller's own ID (a student number, a CRM id): unique per tenant and entity.", example: 'stu-1001' });

/** One of a closed set of values, with a message that names them. */
export const OneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { message: `must be one of ${values.join(', ')}` });

/** A whole number within bounds; every failure says so in the same words. */
export const IntRange = (min: number, max: number, what = 'number') => {
  const whole = `must be a whole ${what} from ${min} to ${max}`;
  return z.number({ message: whole }).int(whole).min(min, `must be at least ${min}`).max(max, `must be at most ${max}`);
};

/** A list of at most `max` items; absent or null is the empty list. */
export const ListOf = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .max(max, `must have at most ${max} items`)
    .nullish()
    .transform((v) => v ?? []);

/** A keyset page of records, as every list answers. */
export const PageOf = <T extends z.ZodType>(record: T) => z.object({ data: z.array(record), nextCursor: z.string().nullable() });

/** Optional text: absent, null and "" all mean "none" and are stored as null. */
export const OptionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((v) => (v ? v : null));

export const RequiredText = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const HttpUrl = z
  .url({ protocol: /^https?$/, message: 'must be an http(s) URL' })
  .max(2000, 'must be at most 2000 characters');

export const OptionalUrl = HttpUrl.nullish().transform((v) => v ?? null);

/** A list of short strings; absent or null is the empty list. Duplicates are dropped, order kept. */
export const StringList = (maxItems: number, maxLength = 200) =>
  ListOf(z.string().trim().min(1, 'must not be empty').max(maxLength, `must be at most ${maxLength} characters`), maxItems).transform((v) => [...new Set(v)]);

export const Tags = StringList(50, 100);

// PostgreSQL keeps instants from 4713 BC, JavaScript's toISOString writes years past 9999 as
// "+010000": the API takes the years both write the same way, 0001 to 9999, in UTC.
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');

/** True for a valid date within the years 0001 to 9999 (UTC). */
export const isWithinYears = (date: Date): boolean => date.getTime() >= EARLIEST && date.getTime() <= LATEST;

/** An ISO 8601 date-time with an offset, kept as written (query parameters). */
export const Instant = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time, e.g. 2026-11-26T09:30:00Z' })
  .refine((v) => isWithinYears(new Date(v)), 'must be within the years 0001 to 9999 (UTC)');

/** An ISO 8601 date-time with an offset; normalised to UTC so equal instants compare equal. */
export const DateTimeInput = Instant.transform((v) => new Date(v).toISOString());

export const OptionalDateTime = DateTimeInput.nullish().transform((v) => v ?? null);

export const OptionalUuid = Uuid.nullish().transform((v) => v ?? null);

/** The fields every record has in a response. */
export const RecordFields = {
  id: z.uuid(),
  externalId: z.string().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  version: z.number().int().min(1),
};

export const ListQueryFields = {
  limit: z.coerce
    .number({ message: 'must be a whole number from 1 to 100' })
    .int('must be a whole number from 1 to 100')
    .min(1, 'must be at least 1')
    .max(100, 'must be at most 100')
    .default(25),
  cursor: z.string().max(500).optional().meta({ description: 'The `nextCursor` of the previous page.' }),
  updatedSince: Instant.optional()
    .meta({ description: 'Only records updated at or after this instant (inclusive), for syncs.' }),
  externalId: ExternalId.optional(),
};
export const ListQuery = z.strictObject(ListQueryFields);
export type ListQuery = z.output<typeof ListQuery>;

/** A Boolean in a query string: "true" or "false". */
export const QueryBoolean = z.enum(['true', 'false'], { message: 'must be true or false' });

export const IdParams = z.strictObject({ id: Uuid });
export const ExternalIdParams = z.strictObject({ externalId: ExternalId });
export const DeleteQuery = z.strictObject({
  cascade: QueryBoolean.optional()
    .transform((v) => v === 'true')
    .meta({ description: 'Delete the records that require this one and clear optional references to it.' }),
});

