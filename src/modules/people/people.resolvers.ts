import type { IResolvers } from 'mercurius';
import { personRoles } from '../../db/schema/index.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, childrenLoader, recordLoader, totalCountLoader } from '../../graphql/loaders.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { mergeResolvers } from '../../graphql/merge.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { Person } from './people.schemas.js';
import type { PeopleService } from './people.service.js';

export const PersonRoleEnum = graphqlEnum(personRoles);

/** GraphQL input (and a list filter) as REST's: role names as their values. */
const toRest = enumInputs({ roles: PersonRoleEnum, role: PersonRoleEnum });

export function peopleResolvers(people: PeopleService): IResolvers {
  return mergeResolvers([
    entityResolvers(people, { one: 'person', many: 'people', type: 'Person' }, toRest),
    { Person: { roles: (person: Person) => person.roles.map((role) => PersonRoleEnum.out(role)) } },
  ]);
}

/** Relations, batched per request (see src/graphql/loaders.ts). */
export function peopleLoaders(people: PeopleService, organizations: OrganizationsService): Loaders {
  return {
    Person: {
      organization: recordLoader<Person>(organizations, 'organizationId'),
    },
    Organization: {
      people: childrenLoader(people, () => ({ parent: 'organizationId' })),
    },
    PersonConnection: {
      totalCount: totalCountLoader(people),
    },
  };
}
