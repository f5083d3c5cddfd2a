import type { IResolvers } from 'mercurius';
import { connectionOf, graphqlEnum, listQueryOf, pageArgs, type Connection, type ConnectionArgs } from '../../graphql/connections.js';
import { organizationSizes } from '../../db/schema/index.js';
import { asMutation, given, visible } from '../../graphql/mutations.js';
import type { Organization } from './organizations.schemas.js';
import type { OrganizationsService } from './organizations.service.js';

/** Sizes whose REST value is not a GraphQL name (the SDL's description says so too). */
export const OrganizationSizeEnum = graphqlEnum(organizationSizes, {
  '1-10': 'SIZE_1_10',
  '11-50': 'SIZE_11_50',
  '51-200': 'SIZE_51_200',
  '201-1000': 'SIZE_201_1000',
  '1001-5000': 'SIZE_1001_5000',
  '5001+': 'SIZE_5001_PLUS',
});

/** GraphQL input as REST's: the size's name as its value. */
const fromGraphql = (input: Record<string, unknown>) => {
  const values = given(input);
  if (typeof values.size === 'string') values.size = OrganizationSizeEnum.in(values.size);
  return values;
};

export function organizationsResolvers(organizations: OrganizationsService): IResolvers {
  return {
    Query: {
      organization: async (_root, { id }: { id: string }, { requestContext }) => (await organizations.getManyByIds(requestContext, [id]))[0],
      organizationByExternalId: async (_root, { externalId }: { externalId: string }, { requestContext }) =>
        (await organizations.getManyByExternalIds(requestContext, [externalId]))[0],
      organizations: async (_root, args: ConnectionArgs & { filter?: Record<string, unknown> | null }, { requestContext }) => {
        const filter = listQueryOf(args.filter);
        const page = await organizations.list(requestContext, { ...filter, ...pageArgs(args) });
        return connectionOf(page.data, { hasNextPage: page.nextCursor !== null, after: args.after }, filter);
      },
    },
    Mutation: {
      createOrganization: async (_root, { input }: { input: Record<string, unknown> }, { requestContext: ctx }) => {
        const { record } = await asMutation(() => organizations.create(ctx, fromGraphql(input)));
        return { organization: visible(ctx, record) };
      },
      updateOrganization: async (_root, args: { id: string; input: Record<string, unknown>; expectedVersion?: number | null }, { requestContext: ctx }) => {
        const record = await asMutation(() => organizations.update(ctx, args.id, fromGraphql(args.input), args.expectedVersion ?? undefined));
        return { organization: visible(ctx, record) };
      },
      upsertOrganizationByExternalId: async (_root, args: { externalId: string; input: Record<string, unknown> }, { requestContext: ctx }) => {
        const { record, created } = await asMutation(() => organizations.upsert(ctx, args.externalId, fromGraphql(args.input)));
        return { organization: visible(ctx, record), created };
      },
      deleteOrganization: async (_root, { id, cascade }: { id: string; cascade: boolean }, { requestContext: ctx }) => {
        await organizations.remove(ctx, id, { cascade });
        return { deletedId: id };
      },
    },
    OrganizationConnection: {
      totalCount: (connection: Connection<Organization, Record<string, unknown>>, _args, { requestContext }) =>
        organizations.count(requestContext, connection.counting),
    },
    Organization: {
      size: (organization: Organization) => OrganizationSizeEnum.out(organization.size),
    },
  };
}
