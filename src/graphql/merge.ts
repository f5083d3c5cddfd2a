import { GraphQLScalarType } from 'graphql';
import type { IResolvers } from 'mercurius';

/** Per type, the fields of every module's resolvers: modules each extend Query and Mutation. */
export function mergeResolvers(list: IResolvers[]): IResolvers {
  const merged: Record<string, unknown> = {};
  for (const resolvers of list) {
    for (const [type, fields] of Object.entries(resolvers)) {
      const isMap = typeof fields === 'object' && !(fields instanceof GraphQLScalarType);
      merged[type] = isMap ? { ...(merged[type] as object), ...fields } : fields;
    }
  }
  return merged as IResolvers;
}
