import { z } from 'zod';
import { deliveryStatuses, webhookStatuses } from '../../db/schema/index.js';
import { ListQueryFields, OneOf, OptionalText, PageOf, Uuid } from '../shared/common.schemas.js';
import { EventTypeList } from '../events/events.schemas.js';
import { urlProblem } from './target-safety.js';

// Its shape here; whether it must be https, and reaches a public address, the service checks
// (it depends on WEBHOOK_ALLOW_PRIVATE, and on name resolution).
const TargetUrl = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(2000, 'must be at most 2000 characters')
  .superRefine((value, ctx) => {
    const problem = value ? urlProblem(value, true) : null;
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const WebhookInput = z
  .strictObject({
    url: TargetUrl.meta({ description: 'Where events are POSTed: https, resolving to a public address.' }),
    types: EventTypeList.meta({ description: 'The event types to send (or `<entity>.*`); at least one.' }),
    description: OptionalText(500),
  })
  .meta({ id: 'CreateWebhook', examples: [{ url: 'https://crm.example.edu/hooks/interviews', types: ['person.*', 'interview.status_changed'], description: 'Advising CRM' }] });
export type WebhookInput = z.output<typeof WebhookInput>;

export const WebhookPatch = z
  .strictObject({
    url: TargetUrl.optional(),
    types: EventTypeList.optional(),
    description: OptionalText(500),
    status: OneOf(webhookStatuses).optional().meta({ description: '`active` again resumes from the next delivery waiting; a disabled subscription sends nothing.' }),
  })
  .meta({ id: 'UpdateWebhook' });
export type WebhookPatch = z.output<typeof WebhookPatch>;

export const Webhook = z
  .object({
    id: z.uuid(),
    url: z.string(),
    types: z.array(z.string()),
    description: z.string().nullable(),
    status: z.enum(webhookStatuses),
    disabledReason: z.string().nullable().meta({ description: 'Why it was disabled: by whom, or after which delivery failed for 24 hours.' }),
    disabledAt: z.iso.datetime().nullable(),
    previousSecretExpiresAt: z.iso.datetime().nullable().meta({ description: 'Until then, deliveries are signed with the secret before the last rotation too.' }),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.number().int(),
  })
  .meta({ id: 'Webhook' });
export type Webhook = z.output<typeof Webhook>;

const Secret = z.string().meta({ description: 'The signing secret (Standard Webhooks, `whsec_…`): shown in this answer only.' });

export const CreatedWebhook = Webhook.extend({ secret: Secret.optional().meta({ description: 'The signing secret (`whsec_…`): in this answer only; absent from a replay of the same Idempotency-Key.' }) }).meta({ id: 'CreatedWebhook' });

export const RotateSecretInput = z
  .strictObject({
    overlapSeconds: z
      .number({ message: 'must be a whole number of seconds from 0 to 604800' })
      .int('must be a whole number of seconds from 0 to 604800')
      .min(0, 'must be at least 0')
      .max(604_800, 'must be at most 604800 (7 days)')
      .default(86_400)
      .meta({ description: 'How long the secret being replaced still signs deliveries beside the new one (default 24 hours).' }),
  })
  .meta({ id: 'RotateWebhookSecret' });

export const RotatedSecret = z
  .object({ secret: Secret, previousSecretExpiresAt: z.iso.datetime().nullable() })
  .meta({ id: 'RotatedWebhookSecret' });

export const Delivery = z
  .object({
    id: z.uuid(),
    webhookId: z.uuid(),
    eventId: z.uuid().meta({ description: 'The `webhook-id` header of every attempt.' }),
    eventType: z.string(),
    status: z.enum(deliveryStatuses).meta({ description: '`pending` (waiting or retrying), `succeeded`, or `failed` (given up after 24 hours, or a test that failed).' }),
    attempts: z.number().int(),
    responseStatus: z.number().int().nullable(),
    responseBody: z.string().nullable().meta({ description: 'At most the first 1 KB of the last answer.' }),
    durationMs: z.number().int().nullable(),
    error: z.string().nullable(),
    createdAt: z.iso.datetime(),
    lastAttemptAt: z.iso.datetime().nullable(),
    nextAttemptAt: z.iso.datetime().nullable().meta({ description: 'When a pending delivery is tried next.' }),
  })
  .meta({ id: 'WebhookDelivery' });
export type Delivery = z.output<typeof Delivery>;

export const DeliveryQuery = z.strictObject({ limit: ListQueryFields.limit, cursor: ListQueryFields.cursor });
export const DeliveryPage = PageOf(Delivery).meta({ id: 'WebhookDeliveryPage' });
export const DeliveryParams = z.strictObject({ deliveryId: Uuid });
