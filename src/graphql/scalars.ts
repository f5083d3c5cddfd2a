import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { z } from 'zod';
import { HttpUrl, Instant, Uuid } from '../modules/shared/common.schemas.js';

/**
 * An input DateTime as the services take it: the ISO 8601 string, checked by the same zod
 * schema REST uses (a Date would be refused by them, and parsed twice).
 */
const parse = (value: unknown): string => {
  const checked = Instant.safeParse(value);
  if (!checked.success) {
    throw new GraphQLError('DateTime must be an ISO 8601 date and time with an offset, e.g. 2026-11-26T09:30:00Z.', {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return checked.data;
};

export const DateTime = new GraphQLScalarType({
  name: 'DateTime',
  description: 'An ISO 8601 date and time in UTC, e.g. 2026-11-26T09:30:00.000Z.',
  serialize: (value) => (value instanceof Date ? value.toISOString() : new Date(value as string).toISOString()),
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});

const scalar = (name: string, description: string, check: { safeParse(value: unknown): { success: boolean; data?: unknown } }, problem: string) => {
  const parse = (value: unknown) => {
    const checked = check.safeParse(value);
    if (!checked.success) throw new GraphQLError(`${name} ${problem}`, { extensions: { code: 'BAD_USER_INPUT' } });
    return checked.data;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => String(value),
    parseValue: parse,
    parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
  });
};

/** Record IDs: the same UUIDs as REST, lower-cased as REST's own schema does. */
export const UuidScalar = scalar('UUID', 'A record ID: a UUID, e.g. 1c4f7a2b-6d8e-4b3a-9c5d-7e2f0a1b3c46.', Uuid, 'must be a UUID.');

/** Web addresses, checked as REST checks them. */
export const UrlScalar = scalar('URL', 'An http or https URL, e.g. https://acme-robotics.example.com.', HttpUrl, 'must be an http or https URL.');

/** Calendar dates (a goal's target date), checked as REST checks them. */
export const DateScalar = scalar('Date', 'An ISO 8601 calendar date, e.g. 2027-06-30.', z.iso.date(), 'must be an ISO 8601 date, e.g. 2027-06-30.');

/**
 * Free-form JSON, only where the REST contract is free-form (a revision's snapshot keeps the
 * shape of its day). Output only in the schema; as input it would be taken as it is written.
 */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Any JSON value, where the REST contract is free-form: a strategy revision\'s snapshot.',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});
