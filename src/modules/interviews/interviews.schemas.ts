import { z } from 'zod';
import { insightCategories, interviewFormats, interviewStatuses } from '../../db/schema/index.js';
import {
  DateTimeInput,
  ExternalId,
  Instant,
  IntRange,
  ListOf,
  ListQueryFields,
  OptionalDateTime,
  OptionalText,
  OneOf,
  OptionalUuid,
  RecordFields,
  RequiredText,
  Tags,
  Uuid,
} from '../shared/common.schemas.js';
import { createInterviewExamples, updateInterviewExamples, interviewExamples } from './interviews.examples.js';

export const InterviewStatus = OneOf(interviewStatuses);
export const InterviewFormat = OneOf(interviewFormats);
export const InsightCategory = OneOf(insightCategories);
export type InterviewStatus = z.output<typeof InterviewStatus>;

// Optional members of list items are left out rather than null: the JSON columns hold them so.
const Question = z
  .strictObject({ question: RequiredText(1000), answer: OptionalText(10_000), templateId: OptionalUuid.meta({ description: 'The question template of the bank it was taken from.' }) })
  .transform(({ question, answer, templateId }) => ({ question, ...(answer ? { answer } : {}), ...(templateId ? { templateId } : {}) }));

const Insight = z
  .strictObject({ text: RequiredText(2000), category: InsightCategory.nullish() })
  .transform(({ text, category }) => ({ text, ...(category ? { category } : {}) }));

const Referral = z
  .strictObject({ personId: Uuid, note: OptionalText(1000) })
  .transform(({ personId, note }) => ({ personId, ...(note ? { note } : {}) }));

const FollowUp = z
  .strictObject({ action: RequiredText(1000), dueAt: DateTimeInput.nullish(), doneAt: DateTimeInput.nullish() })
  .transform(({ action, dueAt, doneAt }) => ({ action, ...(dueAt ? { dueAt } : {}), ...(doneAt ? { doneAt } : {}) }));

const Rating = IntRange(1, 5).nullish();

/** No ratings at all is null, whether sent as null, {} or every member null. */
const SkillRatings = z
  .strictObject({ confidence: Rating, communication: Rating, interviewing: Rating })
  .nullish()
  .transform((v) => {
    const kept = Object.fromEntries(Object.entries(v ?? {}).filter(([, n]) => n != null)) as { confidence?: number; communication?: number; interviewing?: number };
    return Object.keys(kept).length ? kept : null;
  });

/** Create and full-replace (PUT) input; the one schema REST, GraphQL and imports parse. */
export const InterviewInput = z
  .strictObject({
    externalId: ExternalId.nullish().transform((v) => v ?? null),
    requesterId: Uuid.meta({ description: 'The person seeking information (usually a student).' }),
    intervieweeId: Uuid.meta({ description: 'The professional; never the requester.' }),
    organizationId: OptionalUuid.meta({ description: "The interviewee's organization at the time." }),
    status: InterviewStatus.nullish()
      .transform((v) => v ?? 'planned')
      .meta({ description: 'Defaults to planned. A new interview starts as planned, requested, scheduled or completed.' }),
    scheduledAt: OptionalDateTime.meta({ description: 'Required while the status is scheduled.' }),
    occurredAt: OptionalDateTime.meta({ description: 'When it took place; set to now when completed without one.' }),
    durationMinutes: IntRange(1, 1440)
      .nullish()
      .transform((v) => v ?? null),
    format: InterviewFormat.nullish().transform((v) => v ?? null),
    location: OptionalText(500),
    goals: OptionalText(5000),
    questions: ListOf(Question, 50),
    notes: OptionalText(20_000),
    insights: ListOf(Insight, 100),
    referrals: ListOf(Referral, 50).meta({
      description: 'People the interviewee suggested; each gets a relationship from the requester (source referral) if none exists.',
    }),
    thankYouSentAt: OptionalDateTime,
    followUps: ListOf(FollowUp, 50),
    skillRatings: SkillRatings.meta({ description: "The requester's own ratings after the interview, each 1-5." }),
    tags: Tags,
  })
  .meta({
    id: 'CreateInterview',
    description: 'An informational interview: a person seeking career knowledge meets a professional.',
    examples: createInterviewExamples,
  });
export type InterviewInput = z.output<typeof InterviewInput>;

export const InterviewPatch = InterviewInput.partial().meta({
  id: 'UpdateInterview',
  description: 'A merge patch: only the fields to change; null clears a field. Status changes follow the transition rules.',
  examples: updateInterviewExamples,
});

export const Interview = z
  .object({
    ...RecordFields,
    requesterId: z.uuid(),
    intervieweeId: z.uuid(),
    organizationId: z.uuid().nullable(),
    status: InterviewStatus,
    scheduledAt: z.iso.datetime().nullable(),
    occurredAt: z.iso.datetime().nullable(),
    durationMinutes: z.number().int().nullable(),
    format: InterviewFormat.nullable(),
    location: z.string().nullable(),
    goals: z.string().nullable(),
    questions: z.array(z.object({ question: z.string(), answer: z.string().optional(), templateId: z.uuid().optional() })),
    notes: z.string().nullable(),
    insights: z.array(z.object({ text: z.string(), category: InsightCategory.optional() })),
    referrals: z.array(z.object({ personId: z.uuid(), note: z.string().optional() })),
    thankYouSentAt: z.iso.datetime().nullable(),
    followUps: z.array(z.object({ action: z.string(), dueAt: z.iso.datetime().optional(), doneAt: z.iso.datetime().optional() })),
    skillRatings: z
      .object({ confidence: z.number().int().optional(), communication: z.number().int().optional(), interviewing: z.number().int().optional() })
      .nullable(),
    tags: z.array(z.string()),
  })
  .meta({
    id: 'Interview',
    examples: interviewExamples,
  });
export type Interview = z.output<typeof Interview>;

export const InterviewListQuery = z
  .strictObject({
    ...ListQueryFields,
    status: InterviewStatus.optional().meta({ examples: ['completed'] }),
    requesterId: Uuid.optional(),
    intervieweeId: Uuid.optional(),
    organizationId: Uuid.optional(),
    from: Instant.optional().meta({
      description: 'Only interviews that happened (occurredAt, else scheduledAt) at or after this instant.',
      examples: ['2026-09-01T00:00:00Z'],
    }),
    to: Instant.optional().meta({
      description: 'Only interviews that happened (occurredAt, else scheduledAt) at or before this instant.',
      examples: ['2026-12-31T23:59:59Z'],
    }),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), { path: ['from'], message: 'must not be after to' });
export type InterviewListQuery = z.output<typeof InterviewListQuery>;
