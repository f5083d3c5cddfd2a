import type { IResolvers } from 'mercurius';
import type { ApiKey } from './api-keys.schemas.js';
import type { ApiKeysService } from './api-keys.service.js';

/** The tenant's keys, over the same service as REST's GET /v1/api-keys (and its admin check). */
export function apiKeysResolvers(apiKeys: ApiKeysService): IResolvers {
  return {
    Query: {
      apiKeys: async (_root, _args, { requestContext }) => (await apiKeys.list(requestContext)).data,
    },
    ApiKey: {
      scopes: (key: ApiKey) => key.scopes.map((s) => s.toUpperCase()),
    },
  };
}
