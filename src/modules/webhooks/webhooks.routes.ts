import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requestContext } from '../../http/request-context.js';
import { ProblemResponses } from '../../http/problem.schemas.js';
import { IdempotencyHeaders } from '../idempotency/idempotency.http.js';
import { IdParams } from '../shared/common.schemas.js';
import { CreatedWebhook, Delivery, DeliveryPage, DeliveryParams, DeliveryQuery, RotatedSecret, RotateSecretInput, Webhook, WebhookInput, WebhookPatch } from './webhooks.schemas.js';

const tags = ['webhooks'];

const webhooksRoutes: FastifyPluginAsyncZod = async (app) => {
  const webhooks = () => app.services.webhooks;

  app.get(
    '/v1/webhooks',
    { schema: { operationId: 'listWebhooks', summary: "The tenant's webhook subscriptions (never their secrets)", tags, response: { 200: z.object({ data: z.array(Webhook) }), ...ProblemResponses(401, 403, 503) } } },
    (request) => webhooks().list(requestContext(request)),
  );

  app.post(
    '/v1/webhooks',
    {
      config: { idempotent: true },
      schema: {
        operationId: 'createWebhook',
        summary: 'Subscribe a URL to event types; the signing secret is in this answer only',
        description:
          'Deliveries follow the Standard Webhooks specification (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`), one POST per event, ' +
          'in feed order, at least once, retried with exponential backoff and jitter for 24 hours; then the subscription is disabled with the reason. ' +
          'The subscription starts at the head of the feed: events from now on. The URL must be https and resolve to a public address.',
        tags,
        headers: IdempotencyHeaders,
        body: WebhookInput,
        response: { 201: CreatedWebhook, ...ProblemResponses(400, 401, 403, 409, 413, 415, 422, 503) },
      },
    },
    async (request, reply) => {
      const { record, replayed } = await webhooks().create(requestContext(request), request.body, { idempotency: request.idempotency });
      if (replayed) reply.header('idempotent-replayed', 'true');
      reply.code(201).header('location', `/v1/webhooks/${record.id}`);
      return record;
    },
  );

  app.get(
    '/v1/webhooks/:id',
    { schema: { operationId: 'getWebhook', summary: 'A webhook subscription', tags, params: IdParams, response: { 200: Webhook, ...ProblemResponses(400, 401, 403, 404, 503) } } },
    (request) => webhooks().get(requestContext(request), request.params.id),
  );

  app.patch(
    '/v1/webhooks/:id',
    {
      schema: {
        operationId: 'updateWebhook',
        summary: 'Change a subscription: URL, types, description, or status (disable, or enable again)',
        tags,
        params: IdParams,
        body: WebhookPatch,
        response: { 200: Webhook, ...ProblemResponses(400, 401, 403, 404, 413, 415, 503) },
      },
    },
    (request) => webhooks().update(requestContext(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/webhooks/:id',
    {
      schema: {
        operationId: 'deleteWebhook',
        summary: 'Delete a subscription and its deliveries',
        tags,
        params: IdParams,
        response: { 204: z.null().describe('Deleted'), ...ProblemResponses(400, 401, 403, 404, 503) },
      },
    },
    async (request, reply) => {
      await webhooks().remove(requestContext(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/webhooks/:id/test',
    {
      schema: {
        operationId: 'testWebhook',
        summary: 'Send a signed `webhook.test` event now, and answer how it went',
        tags,
        params: IdParams,
        response: { 200: Delivery, ...ProblemResponses(400, 401, 403, 404, 503) },
      },
    },
    (request) => webhooks().test(requestContext(request), request.params.id),
  );

  app.post(
    '/v1/webhooks/:id/rotate-secret',
    {
      schema: {
        operationId: 'rotateWebhookSecret',
        summary: 'A new signing secret (in this answer only); the old one keeps signing beside it for the overlap',
        description: 'During the overlap every delivery carries two signatures in `webhook-signature`, one per secret: a receiver holding either verifies.',
        tags,
        params: IdParams,
        body: RotateSecretInput.optional(),
        response: { 200: RotatedSecret, ...ProblemResponses(400, 401, 403, 404, 413, 415, 503) },
      },
    },
    (request) => webhooks().rotateSecret(requestContext(request), request.params.id, request.body ?? {}),
  );

  app.get(
    '/v1/webhooks/:id/deliveries',
    {
      schema: {
        operationId: 'listWebhookDeliveries',
        summary: "A subscription's deliveries, newest first: status, attempts, response code, duration",
        tags,
        params: IdParams,
        querystring: DeliveryQuery,
        response: { 200: DeliveryPage, ...ProblemResponses(400, 401, 403, 404, 503) },
      },
    },
    (request) => webhooks().deliveries(requestContext(request), request.params.id, request.query),
  );

  app.post(
    '/v1/webhooks/deliveries/:deliveryId/redeliver',
    {
      schema: {
        operationId: 'redeliverWebhookDelivery',
        summary: 'Send a delivery again (same webhook-id and body), first in line',
        tags,
        params: DeliveryParams,
        response: { 202: Delivery, ...ProblemResponses(400, 401, 403, 404, 409, 503) },
      },
    },
    async (request, reply) => {
      reply.code(202);
      return webhooks().redeliver(requestContext(request), request.params.deliveryId);
    },
  );
};
export default webhooksRoutes;
