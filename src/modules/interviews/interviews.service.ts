import { eq, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { interviews, interviewWhen } from '../../db/schema/index.js';
import { dateOf, recordOf } from '../shared/records.js';
import { createEntityService, type EntityService } from '../shared/entity-service.js';
import { checkInterview, prepareInterview } from './interview-rules.js';
import {
  ensureReferralRelationships,
  interviewDependents,
  referralsOf,
  removeInterviewCitations,
  replaceReferrals,
  type InterviewRow,
  type Referral,
} from './interviews.repository.js';
import { InterviewInput, InterviewListQuery, type Interview } from './interviews.schemas.js';

const toInterview = (row: InterviewRow, referrals: Referral[]): Interview => ({ ...recordOf(row), referrals });

/** The list filters; `from`/`to` use the indexed expression interviewWhen (occurredAt, else scheduledAt). */
export function interviewFilters(q: InterviewListQuery): SQL[] {
  const where: SQL[] = [];
  if (q.status) where.push(eq(interviews.status, q.status));
  if (q.requesterId) where.push(eq(interviews.requesterId, q.requesterId));
  if (q.intervieweeId) where.push(eq(interviews.intervieweeId, q.intervieweeId));
  if (q.organizationId) where.push(eq(interviews.organizationId, q.organizationId));
  if (q.from) where.push(sql`${interviewWhen(interviews)} >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`${interviewWhen(interviews)} <= ${q.to}::timestamptz`);
  return where;
}

export function createInterviewsService(db: Db): EntityService<Interview> {
  return createEntityService(db, {
    noun: 'interview',
    table: interviews,
    Input: InterviewInput,
    Query: InterviewListQuery,
    present: async (tx, tenantId, rows: InterviewRow[]) => {
      const referrals = await referralsOf(tx, tenantId, rows.map((r) => r.id));
      return rows.map((row) => toInterview(row, referrals.get(row.id) ?? []));
    },
    toValues: ({ referrals: _referrals, scheduledAt, occurredAt, thankYouSentAt, ...rest }) => ({
      ...rest,
      scheduledAt: dateOf(scheduledAt),
      occurredAt: dateOf(occurredAt),
      thankYouSentAt: dateOf(thankYouSentAt),
    }),
    filters: interviewFilters,
    prepare: prepareInterview,
    check: checkInterview,
    afterWrite: async (tx, ctx, row, input, current) => {
      await replaceReferrals(tx, ctx.tenantId, row.id, input.referrals);
      // Referrals new to this requester make sure of the relationship; known ones were handled already.
      const known = new Set(current?.requesterId === input.requesterId ? current.referrals.map((r) => r.personId) : []);
      const fresh = input.referrals.map((r) => r.personId).filter((id) => !known.has(id));
      await ensureReferralRelationships(tx, ctx.tenantId, input.requesterId, input.intervieweeId, fresh);
    },
    dependents: interviewDependents,
    cascade: removeInterviewCitations,
    constraintPaths: {
      interviews_requester_fk: 'requesterId',
      interviews_interviewee_fk: 'intervieweeId',
      interviews_organization_fk: 'organizationId',
      interviews_not_self_check: 'intervieweeId',
      interviews_status_check: 'status',
      interviews_format_check: 'format',
      interviews_duration_check: 'durationMinutes',
    },
  });
}
