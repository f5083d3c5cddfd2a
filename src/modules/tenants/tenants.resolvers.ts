import type { IResolvers } from 'mercurius';
import type { RequestContext } from '../../context.js';
import type { Tenant } from './tenants.schemas.js';
import type { TenantsService } from './tenants.service.js';

export function tenantsResolvers(tenants: TenantsService): IResolvers {
  return {
    Query: {
      // The tenant is read once per request, however many aliases ask for the viewer.
      viewer: async (_root, _args, { requestContext, memo }) => {
        if (!memo.has('tenant')) memo.set('tenant', tenants.current(requestContext));
        return { tenant: (await memo.get('tenant')) as Tenant, apiKey: requestContext.apiKey };
      },
    },
    ViewerApiKey: {
      scopes: (key: RequestContext['apiKey']) => key.scopes.map((s) => s.toUpperCase()),
    },
  };
}
