import type tap from 'tap';
import { getNamedType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';

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
