import type { IResolvers } from 'mercurius';
import { organizationSizes } from '../../db/schema/index.js';
import { graphqlEnum, type Connection } from '../../graphql/connections.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { mergeResolvers } from '../../graphql/merge.js';
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
const toRest = (values: Record<string, unknown>) =>
  typeof values.size === 'string' ? { ...values, size: OrganizationSizeEnum.in(values.size) } : values;

export function organizationsResolvers(organizations: OrganizationsService): IResolvers {
  return mergeResolvers([
    entityResolvers(organizations, { one: 'organization', many: 'organizations', type: 'Organization' }, toRest),
    {
      OrganizationConnection: {
        totalCount: (connection: Connection<Organization, { filter: Record<string, unknown> }>, _args, { requestContext }) =>
          organizations.count(requestContext, connection.counting.filter),
      },
      Organization: {
        size: (organization: Organization) => OrganizationSizeEnum.out(organization.size),
      },
    },
  ]);
}
