import type { IResolvers, MercuriusLoaders } from 'mercurius';
import { personRoles } from '../../db/schema/index.js';
import { connectionOf, graphqlEnum, pageArgs, type Connection, type ConnectionArgs } from '../../graphql/connections.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { mergeResolvers } from '../../graphql/merge.js';
import type { Organization } from '../organizations/organizations.schemas.js';
import type { OrganizationsService } from '../organizations/organizations.service.js';
import type { Person } from './people.schemas.js';
import type { PeopleService } from './people.service.js';

export const PersonRoleEnum = graphqlEnum(personRoles);

/** What a people connection's totalCount counts: a filtered list, or the people of one organization. */
type Counting = { filter: Record<string, unknown> } | { organizationId: string };
type PeopleConnection = Connection<Person, Counting>;

/** GraphQL input as REST's: role names as their values (in input and in a filter). */
const toRest = (values: Record<string, unknown>) => {
  const out = { ...values };
  if (Array.isArray(out.roles)) out.roles = out.roles.map((r: string) => PersonRoleEnum.in(r));
  if (typeof out.role === 'string') out.role = PersonRoleEnum.in(out.role);
  return out;
};

export function peopleResolvers(people: PeopleService): IResolvers {
  return mergeResolvers([
    entityResolvers(people, { one: 'person', many: 'people', type: 'Person' }, toRest),
    { Person: { roles: (person: Person) => person.roles.map((role) => PersonRoleEnum.out(role)) } },
  ]);
}

/**
 * Relations, batched per request: every person's organization in one read, every organization's
 * people in one read per distinct (first, after), every count of them in one read.
 */
export function peopleLoaders(people: PeopleService, organizations: OrganizationsService): MercuriusLoaders {
  return {
    Person: {
      organization: async (queries: { obj: Person }[], { requestContext }) => {
        const ids = queries.map((q) => q.obj.organizationId).filter((id): id is string => id !== null);
        const found = new Map((await organizations.getManyByIds(requestContext, ids)).flatMap((o) => (o ? [[o.id, o]] : [])));
        return queries.map((q) => (q.obj.organizationId ? (found.get(q.obj.organizationId) ?? null) : null));
      },
    },
    Organization: {
      people: async (queries: { obj: Organization; params: ConnectionArgs }[], { requestContext }) => {
        const groups = new Map<string, { args: ConnectionArgs; ids: string[] }>();
        for (const { obj, params } of queries) {
          const key = `${params.first ?? ''}|${params.after ?? ''}`;
          const group = groups.get(key) ?? { args: params, ids: [] };
          group.ids.push(obj.id);
          groups.set(key, group);
        }
        const pages = new Map<string, PeopleConnection>();
        for (const [key, { args, ids }] of groups) {
          const { limit, cursor } = pageArgs(args);
          const byParent = await people.listByParents(requestContext, 'organizationId', ids, limit, { after: cursor });
          for (const [id, page] of byParent) {
            pages.set(`${key}|${id}`, connectionOf(page.records, { hasNextPage: page.hasNextPage, after: cursor, cursors: page.cursors }, { organizationId: id }));
          }
        }
        return queries.map(({ obj, params }) => pages.get(`${params.first ?? ''}|${params.after ?? ''}|${obj.id}`)!);
      },
    },
    PersonConnection: {
      totalCount: async (queries: { obj: PeopleConnection }[], { requestContext }) => {
        const parents = queries.flatMap((q) => ('organizationId' in q.obj.counting ? [q.obj.counting.organizationId] : []));
        const byParent = parents.length ? await people.countByParents(requestContext, 'organizationId', parents) : new Map<string, number>();
        return Promise.all(
          queries.map(({ obj: { counting } }) => ('organizationId' in counting ? byParent.get(counting.organizationId)! : people.count(requestContext, counting.filter))),
        );
      },
    },
  };
}
