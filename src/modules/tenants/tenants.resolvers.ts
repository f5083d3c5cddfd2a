import type { IResolvers } from 'mercurius';
import type { RequestContext } from '../../context.js';
import type { TenantsService } from './tenants.service.js';

export function tenantsResolvers(tenants: TenantsService): IResolvers {
  return {
    Query: {
      viewer: async (_root, _args, { requestContext }) => ({
        tenant: await tenants.current(requestContext),
        apiKey: requestContext.apiKey,
      }),
    },
    ViewerApiKey: {
      scopes: (key: RequestContext['apiKey']) => key.scopes.map((s) => s.toUpperCase()),
    },
  };
}
