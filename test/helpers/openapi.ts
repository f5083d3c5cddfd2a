import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

// The committed contract, read by the tests that walk every operation of it.

export interface Schema {
  $ref?: string;
  anyOf?: Schema[];
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
}
export interface Parameter {
  in: string;
  name: string;
  schema?: Schema;
}
export interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
export interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

export const openapi = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8')) as OpenApi;

export const resolveSchema = (schema: Schema): Schema =>
  schema.$ref ? resolveSchema(openapi.components.schemas[schema.$ref.split('/').pop()!]!) : schema;

/** Every leaf of an input schema for which `match` holds, as an error path: `name`, `questions.0.question`. */
export function fieldPaths(schema: Schema, match: (leaf: Schema) => boolean, prefix = ''): string[] {
  const s = resolveSchema(schema);
  if (s.anyOf) return [...new Set(s.anyOf.flatMap((alt) => fieldPaths(alt, match, prefix)))];
  if (s.properties) return Object.entries(s.properties).flatMap(([name, sub]) => fieldPaths(sub, match, prefix ? `${prefix}.${name}` : name));
  if (s.items) return fieldPaths(s.items, match, prefix ? `${prefix}.0` : '0');
  return match(s) ? [prefix] : [];
}

/** A copy of `body` with the value at a dotted path replaced (arrays replaced by a one-element array). */
export function withPath(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.') as [string, ...string[]];
  if (rest.length === 0) return { ...body, [head]: value };
  if (rest[0] === '0') {
    const first = ((body[head] as unknown[] | undefined)?.[0] ?? {}) as Record<string, unknown>;
    return { ...body, [head]: [rest.length === 1 ? value : withPath(first, rest.slice(1).join('.'), value)] };
  }
  return { ...body, [head]: withPath((body[head] ?? {}) as Record<string, unknown>, rest.join('.'), value) };
}
