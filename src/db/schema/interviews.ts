import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import {
  checkIn,
  entityConstraints,
  entityKeys,
  entityStamps,
  jsonbListDefault,
  tenantRef,
  textArray,
  timestamptz,
} from './columns.js';
import { organizations } from './organizations.js';
import { people } from './people.js';

export const interviewStatuses = [
  'planned',
  'requested',
  'scheduled',
  'completed',
  'cancelled',
  'no_show',
] as const;
export const interviewFormats = ['in_person', 'video', 'phone'] as const;
export const insightCategories = [
  'skill',
  'value',
  'talent',
  'interest',
  'industry',
  'organization',
  'role',
  'advice',
] as const;

// The shapes are validated by the service (zod); the types only document what the JSON holds.
export interface InterviewQuestion {
  question: string;
  answer?: string;
  /** A question template of the bank (question_templates.id). */
  templateId?: string;
}
export interface InterviewInsight {
  text: string;
  category?: (typeof insightCategories)[number];
}
export interface InterviewFollowUp {
  action: string;
  dueAt?: string;
  doneAt?: string;
}
export interface SkillRatings {
  confidence?: number;
  communication?: number;
  interviewing?: number;
}

export const interviews = pgTable(
  'interviews',
  {
    ...entityKeys(),
    requesterId: uuid('requester_id').notNull(),
    intervieweeId: uuid('interviewee_id').notNull(),
    organizationId: uuid('organization_id'),
    status: text('status', { enum: interviewStatuses }).notNull(),
    scheduledAt: timestamptz('scheduled_at'),
    occurredAt: timestamptz('occurred_at'),
    durationMinutes: integer('duration_minutes'),
    format: text('format', { enum: interviewFormats }),
    location: text('location'),
    goals: text('goals'),
    questions: jsonb('questions').$type<InterviewQuestion[]>().notNull().default(jsonbListDefault),
    notes: text('notes'),
    insights: jsonb('insights').$type<InterviewInsight[]>().notNull().default(jsonbListDefault),
    thankYouSentAt: timestamptz('thank_you_sent_at'),
    followUps: jsonb('follow_ups').$type<InterviewFollowUp[]>().notNull().default(jsonbListDefault),
    skillRatings: jsonb('skill_ratings').$type<SkillRatings>(),
    tags: textArray('tags'),
    ...entityStamps(),
  },
  (t) => [
    ...entityConstraints('interviews', t),
    tenantRef('interviews_requester_fk', t.tenantId, t.requesterId, people),
    tenantRef('interviews_interviewee_fk', t.tenantId, t.intervieweeId, people),
    tenantRef('interviews_organization_fk', t.tenantId, t.organizationId, organizations),
    checkIn('interviews_status_check', t.status, interviewStatuses),
    checkIn('interviews_format_check', t.format, interviewFormats),
    check('interviews_duration_check', sql`${t.durationMinutes} > 0`),
    check('interviews_not_self_check', sql`${t.requesterId} <> ${t.intervieweeId}`),
    index('interviews_status_idx').on(t.tenantId, t.status),
    // By parent, then in list order: the first N interviews of each person or organization
    // (GraphQL's relations, REST's filtered lists) are a walk of N + 1 index entries.
    index('interviews_requester_idx').on(t.tenantId, t.requesterId, t.createdAt, t.id),
    index('interviews_interviewee_idx').on(t.tenantId, t.intervieweeId, t.createdAt, t.id),
    index('interviews_organization_idx').on(t.tenantId, t.organizationId, t.createdAt, t.id),
    // More indexes for the analytics summary are in drizzle/0008_analytics_indexes.sql (INCLUDE).
    // from/to filter on occurredAt, else scheduledAt: the query must use this same expression.
    index('interviews_when_idx').on(t.tenantId, interviewWhen(t)),
  ],
);

/** When an interview happened or is to happen: what `from`/`to` compare against. */
export function interviewWhen(t: { occurredAt: AnyPgColumn; scheduledAt: AnyPgColumn }) {
  return sql`coalesce(${t.occurredAt}, ${t.scheduledAt})`;
}
