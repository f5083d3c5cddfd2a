import type tap from 'tap';
import type { App } from '../../src/app.js';
import { getNamedType, isInputObjectType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';

/** Every field of the zod record is in the GraphQL type, nullable in both or neither, and described; other fields are relations. */
export function holdsTo(t: Pick<typeof tap, 'ok' | 'equal'>, schema: GraphQLSchema, name: string, shape: Record<string, { safeParse(v: unknown): { success: boolean } }>) {
  const type = schema.getType(name);
  if (!isObjectType(type)) throw new Error(`no ${name} type`);
  const fields = type.getFields();
  for (const [field, zod] of Object.entries(shape)) {
    t.ok(fields[field], `${name}.${field} exists`);
    if (fields[field]) t.equal(!isNonNullType(fields[field].type), zod.safeParse(null).success, `${name}.${field}: nullable in both or neither`);
  }
  for (const [field, def] of Object.entries(fields)) {
    t.ok(def.description, `${name}.${field} is described`);
    if (!(field in shape)) t.ok(isObjectType(getNamedType(def.type)), `${name}.${field} is a relation`);
  }
}

/** A create input and an update input hold to the zod input: the same fields, required as in zod (update: none), described. */
export function inputsHoldTo(t: Pick<typeof tap, 'ok' | 'equal' | 'same'>, schema: GraphQLSchema, names: [create: string, update: string], shape: Record<string, { safeParse(v: unknown): { success: boolean } }>) {
  for (const [name, required] of [[names[0], true], [names[1], false]] as const) {
    const input = schema.getType(name);
    if (!isInputObjectType(input)) throw new Error(`no ${name} input`);
    t.same(Object.keys(input.getFields()).sort(), Object.keys(shape).sort(), `${name}: the fields of the zod input`);
    for (const field of Object.values(input.getFields())) {
      const optional = shape[field.name]!.safeParse(undefined).success;
      t.equal(isNonNullType(field.type), required && !optional, `${name}.${field.name}: required as in zod`);
      t.ok(field.description, `${name}.${field.name} is described`);
    }
  }
}

/** A GraphQL answer as the tests read it: data, and errors with our extensions. */
export interface GqlAnswer<D = Record<string, unknown>> {
  data: D | null;
  errors?: { message: string; path?: string[]; extensions: { code: string; allowed?: string[]; errors?: { path: string; message?: string }[] } }[];
}

/** GraphQL calls as one caller (POST /graphql), another key's when `auth` is given. */
export const graphqlCaller =
  <D = Record<string, unknown>>(app: App, defaultAuth: Record<string, string>) =>
  async (query: string, variables: Record<string, unknown> = {}, auth = defaultAuth): Promise<GqlAnswer<D>> =>
    (await app.inject({ method: 'POST', url: '/graphql', headers: auth, payload: { query, variables } })).json();
