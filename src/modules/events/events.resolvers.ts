import type { IResolvers } from 'mercurius';
import { listQueryOf } from '../../graphql/connections.js';
import { renamingPaths } from '../../graphql/mutations.js';
import type { EventsService } from './events.service.js';

export function eventsResolvers(events: EventsService): IResolvers {
  return {
    Query: {
      // The REST query's shape, so both surfaces parse it with one schema; its errors named as the arguments.
      events: async (_root: unknown, args: { after?: string | null; first?: number | null; types?: string[] | null }, { requestContext }) => {
        const page = await renamingPaths(
          () => events.list(requestContext, listQueryOf({ after: args.after, limit: args.first, types: args.types?.join(',') })),
          (path) => (path === 'query.limit' ? 'first' : path.replace(/^query\./, '')),
        );
        return { nodes: page.data, nextCursor: page.nextCursor, hasMore: page.hasMore };
      },
    },
  } as IResolvers;
}
