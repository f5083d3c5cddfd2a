import { z } from 'zod';
import { ListQueryFields } from '../shared/common.schemas.js';

/** Each entity as events name it, with the REST collection its records live in. */
export const EVENT_ENTITIES = {
  person: 'people',
  organization: 'organizations',
  relationship: 'relationships',
  interview: 'interviews',
  career_strategy: 'careerStrategies',
  opportunity: 'opportunities',
  question_template: 'questionTemplates',
} as const;
export type EventEntity = keyof typeof EVENT_ENTITIES;

/** Entities whose status change is its own type, in place of `.updated`. */
const WITH_STATUS: readonly EventEntity[] = ['interview', 'opportunity'];

/** Every event type, the one list (drizzle/0010_event_triggers.sql writes them). */
export const EVENT_TYPES = (Object.keys(EVENT_ENTITIES) as EventEntity[]).flatMap((entity) => [
  `${entity}.created`,
  `${entity}.updated`,
  ...(WITH_STATUS.includes(entity) ? [`${entity}.status_changed`] : []),
  `${entity}.deleted`,
]);

const TYPE_OR_WILDCARD = new Set([...EVENT_TYPES, ...Object.keys(EVENT_ENTITIES).map((e) => `${e}.*`)]);

/** The types of a `types` parameter (comma-separated), each once. */
export const typesOf = (value: string): string[] => [...new Set(value.split(',').map((t) => t.trim()))];

/** `after=latest`: the feed's head, for a reader starting now (or resyncing). */
export const LATEST = 'latest';

/** A list of event types (or `<entity>.*`), each once. */
export const EventTypeList = z
  .array(z.string().refine((t) => TYPE_OR_WILDCARD.has(t), 'must be an event type listed in the API reference, or <entity>.*'))
  .min(1, 'at least one type is required')
  .max(100)
  .transform((types) => [...new Set(types)]);

export const EventQuery = z.strictObject({
  after: z
    .string()
    .max(100, 'is not a cursor of this feed')
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page; `latest` for the head of the feed (no events, only its cursor). Left out: from the oldest event kept.' }),
  // Kept as written (a string), so the route's parse and the service's give the same; the
  // service splits it (typesOf).
  types: z
    .string()
    .max(2000)
    .superRefine((v, ctx) => {
      const unknown = typesOf(v).find((t) => !TYPE_OR_WILDCARD.has(t));
      if (unknown !== undefined) ctx.addIssue({ code: 'custom', message: `unknown event type ${JSON.stringify(unknown.slice(0, 60))}: one of the types listed in the API reference, or <entity>.*` });
    })
    .optional()
    .meta({ description: 'Only these types, comma-separated; `interview.*` for every type of an entity.', examples: ['person.created,interview.status_changed'] }),
  limit: ListQueryFields.limit,
});
export type EventQuery = z.output<typeof EventQuery>;

export const ChangeEvent = z
  .object({
    id: z.uuid().meta({ description: 'The event; also the `webhook-id` of its deliveries.' }),
    cursor: z.string().meta({ description: 'Where this event is in the feed: `after` it reads on from here.' }),
    type: z.enum(EVENT_TYPES as [string, ...string[]]),
    entity: z.enum(Object.keys(EVENT_ENTITIES) as [EventEntity, ...EventEntity[]]),
    entityId: z.uuid(),
    externalId: z.string().nullable(),
    version: z.number().int().meta({ description: 'The record\'s version after the change (before it, for a deletion).' }),
    occurredAt: z.iso.datetime().meta({ description: 'When the transaction that made the change began.' }),
    changedFields: z
      .array(z.string())
      .nullable()
      .meta({ description: 'The record fields the change set, for `.updated` and `.status_changed`; null for `.created` and `.deleted`.' }),
    data: z
      .record(z.string(), z.unknown())
      .meta({ description: 'The record after the change, as GET shows it; for `.deleted`, its `id` and `externalId`.' }),
  })
  .meta({ id: 'ChangeEvent' });
export type ChangeEvent = z.output<typeof ChangeEvent>;

export const EventPage = z
  .object({
    data: z.array(ChangeEvent),
    nextCursor: z.string().meta({ description: 'Always given: read on `after` it, now or later. Nothing committed later is ever behind it.' }),
    hasMore: z.boolean().meta({ description: 'More events follow now (else: poll later with nextCursor).' }),
  })
  .meta({ id: 'EventPage' });
export type EventPage = z.output<typeof EventPage>;
