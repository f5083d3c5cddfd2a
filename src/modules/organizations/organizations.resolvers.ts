import type { IResolvers } from 'mercurius';
import { organizationSizes } from '../../db/schema/index.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, totalCountLoader } from '../../graphql/loaders.js';
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
const toRest = enumInputs({ size: OrganizationSizeEnum });

export function organizationsResolvers(organizations: OrganizationsService): IResolvers {
  return mergeResolvers([
    entityResolvers(organizations, { one: 'organization', many: 'organizations', type: 'Organization' }, toRest),
    {
      Organization: {
        size: (organization: Organization) => OrganizationSizeEnum.out(organization.size),
      },
    },
  ]);
}

/** Relations, batched per request (see src/graphql/loaders.ts). */
export function organizationsLoaders(organizations: OrganizationsService): Loaders {
  return { OrganizationConnection: { totalCount: totalCountLoader(organizations) } };
}
