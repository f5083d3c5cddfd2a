import type { IResolvers } from 'mercurius';
import type { EntityService } from '../modules/shared/entity-definition.js';
import { connectionOf, listQueryOf, pageArgs, type ConnectionArgs } from './connections.js';
import { asConnection, asMutation, given, visible } from './mutations.js';

type Input = Record<string, unknown>;

/**
 * The queries and mutations every entity has, over its service: `x(id)`, `xByExternalId`,
 * `xs(first, after, filter)`, `createX`, `updateX`, `upsertXByExternalId`, `deleteX`. A module
 * adds only what is its own (enum names, relations). A root list's connection counts
 * `{ filter }` (see each module's totalCount).
 */
export function entityResolvers<Api extends { id: string; createdAt: string }>(
  service: EntityService<Api>,
  names: { one: string; many: string; type: string },
  /** GraphQL names as REST values, in input and in a list filter. */
  toRest: (values: Input) => Input = (values) => values,
): IResolvers {
  const { one, many, type } = names;
  const fromGraphql = (input: Input) => toRest(given(input));
  return {
    Query: {
      [one]: async (_root: unknown, { id }: { id: string }, { requestContext }) => (await service.getManyByIds(requestContext, [id]))[0],
      [`${one}ByExternalId`]: async (_root: unknown, { externalId }: { externalId: string }, { requestContext }) =>
        (await service.getManyByExternalIds(requestContext, [externalId]))[0],
      [many]: async (_root: unknown, args: ConnectionArgs & { filter?: Input | null }, { requestContext }) => {
        const filter = toRest(listQueryOf(args.filter));
        const page = await asConnection(() => service.list(requestContext, { ...filter, ...pageArgs(args) }));
        return connectionOf(page.data, { hasNextPage: page.nextCursor !== null, after: args.after }, { filter });
      },
    },
    Mutation: {
      [`create${type}`]: async (_root: unknown, { input }: { input: Input }, { requestContext: ctx }) => {
        const { record } = await asMutation(() => service.create(ctx, fromGraphql(input)));
        return { [one]: visible(ctx, record) };
      },
      [`update${type}`]: async (_root: unknown, args: { id: string; input: Input; expectedVersion?: number | null }, { requestContext: ctx }) => {
        const record = await asMutation(() => service.update(ctx, args.id, fromGraphql(args.input), args.expectedVersion ?? undefined));
        return { [one]: visible(ctx, record) };
      },
      [`upsert${type}ByExternalId`]: async (_root: unknown, args: { externalId: string; input: Input }, { requestContext: ctx }) => {
        const { record, created } = await asMutation(() => service.upsert(ctx, args.externalId, fromGraphql(args.input)));
        return { [one]: visible(ctx, record), created };
      },
      [`delete${type}`]: async (_root: unknown, { id, cascade }: { id: string; cascade: boolean }, { requestContext: ctx }) => {
        await service.remove(ctx, id, { cascade });
        return { deletedId: id };
      },
    },
  } as IResolvers;
}

