import fastJson from 'fast-json-stringify';
import { z } from 'zod';

/**
 * Responses are serialized by a compiled serializer (fast-json-stringify) built once per route
 * from the zod response schema's JSON Schema, rather than parsed by zod on every answer: the
 * services already produce records of the schema's shape, and fields the schema does not name
 * are left out just the same.
 */
export const responseSerializerCompiler = ({ schema }: { schema: unknown }): ((data: unknown) => string) =>
  fastJson(z.toJSONSchema(schema as z.ZodType, { target: 'draft-7', io: 'output', unrepresentable: 'any' }) as never) as (data: unknown) => string;
