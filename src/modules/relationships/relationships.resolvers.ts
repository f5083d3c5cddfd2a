import type { IResolvers } from 'mercurius';
import { relationshipKinds, relationshipSources } from '../../db/schema/index.js';
import type { ConnectionArgs } from '../../graphql/connections.js';
import { entityResolvers } from '../../graphql/entity-resolvers.js';
import { enumInputs, graphqlEnum } from '../../graphql/enums.js';
import { type Loaders, childrenLoader, recordLoader, totalCountLoader } from '../../graphql/loaders.js';
import { mergeResolvers } from '../../graphql/merge.js';
import type { PeopleService } from '../people/people.service.js';
import type { Relationship } from './relationships.schemas.js';
import type { RelationshipsService } from './relationships.service.js';

export const RelationshipKindEnum = graphqlEnum(relationshipKinds);
export const RelationshipSourceEnum = graphqlEnum(relationshipSources);

/** GraphQL input (and a list filter) as REST's: kind and source names as their values. */
const toRest = enumInputs({ kind: RelationshipKindEnum, source: RelationshipSourceEnum });

/** Person.relationships' direction as the column the edges name the person by. */
const byDirection = { OUT: 'personId', IN: 'contactId', BOTH: 'personOrContactId' } as const;

export function relationshipsResolvers(relationships: RelationshipsService): IResolvers {
  return mergeResolvers([
    entityResolvers(relationships, { one: 'relationship', many: 'relationships', type: 'Relationship' }, toRest),
    {
      Relationship: {
        kind: (r: Relationship) => RelationshipKindEnum.out(r.kind),
        source: (r: Relationship) => RelationshipSourceEnum.out(r.source),
      },
    },
  ]);
}

/** Relations, batched per request (see src/graphql/loaders.ts). */
export function relationshipsLoaders(relationships: RelationshipsService, people: PeopleService): Loaders {
  return {
    Relationship: {
      person: recordLoader<Relationship>(people, 'personId'),
      contact: recordLoader<Relationship>(people, 'contactId'),
      introducedBy: recordLoader<Relationship>(people, 'introducedById'),
    },
    Person: {
      relationships: childrenLoader(relationships, (args: ConnectionArgs & { direction: keyof typeof byDirection }) => ({ parent: byDirection[args.direction] })),
    },
    RelationshipConnection: { totalCount: totalCountLoader(relationships) },
  };
}
