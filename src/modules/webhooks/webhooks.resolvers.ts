import type { IResolvers } from 'mercurius';
import { graphqlEnum } from '../../graphql/enums.js';
import { webhookStatuses } from '../../db/schema/index.js';
import type { Webhook } from './webhooks.schemas.js';
import type { WebhooksService } from './webhooks.service.js';

const WebhookStatusEnum = graphqlEnum(webhookStatuses);

/** The tenant's subscriptions, over the same service as REST's GET /v1/webhooks (and its admin check). */
export function webhooksResolvers(webhooks: WebhooksService): IResolvers {
  return {
    Query: {
      webhooks: async (_root, _args, { requestContext }) => (await webhooks.list(requestContext)).data,
    },
    WebhookSubscription: {
      status: (hook: Webhook) => WebhookStatusEnum.out(hook.status),
    },
  };
}
