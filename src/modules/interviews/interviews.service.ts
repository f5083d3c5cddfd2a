import type { Db } from '../../db/client.js';
import { interviews } from '../../db/schema/index.js';
import { loadChildLists, replaceChildLists } from '../shared/child-lists.js';
import { createEntityService } from '../shared/entity-service.js';
import { dateOf, recordOf } from '../shared/records.js';
import { interviewReferences, interviewRules, loadInterviewFacts, prepareInterview } from './interview-rules.js';
import {
  ensureReferralRelationships,
  interviewDependents,
  interviewsRepository,
  referralList,
  removeInterviewCitations,
  type InterviewRow,
} from './interviews.repository.js';
import { InterviewInput, InterviewListQuery, type Interview } from './interviews.schemas.js';

export function createInterviewsService(db: Db) {
  return createEntityService(db, {
    noun: 'interview',
    repository: interviewsRepository,
    Input: InterviewInput,
    Query: InterviewListQuery,
    presentReads: true,
    present: async (tx, tenantId, rows: InterviewRow[], fields): Promise<Interview[]> => {
      // Referrals are a child list: read only when asked for (always, outside a GraphQL selection).
      const referrals = !fields || fields.has('referrals') ? await loadChildLists(tx, tenantId, referralList, rows.map((r) => r.id)) : new Map<string, never[]>();
      return rows.map((row) => ({ ...recordOf(row), referrals: referrals.get(row.id) ?? [] }));
    },
    toValues: ({ referrals: _referrals, scheduledAt, occurredAt, thankYouSentAt, ...rest }) => ({
      ...rest,
      scheduledAt: dateOf(scheduledAt),
      occurredAt: dateOf(occurredAt),
      thankYouSentAt: dateOf(thankYouSentAt),
    }),
    prepare: prepareInterview,
    references: interviewReferences,
    facts: loadInterviewFacts,
    rules: interviewRules,
    afterWrite: async (tx, ctx, written) => {
      await replaceChildLists(tx, ctx.tenantId, referralList, new Map(written.map((w) => [w.row.id, w.input.referrals])));
      // Referrals new to the requester make sure of the relationship; known ones were handled already.
      const edges = written.flatMap(({ input, current }) => {
        const known = new Set(current?.requesterId === input.requesterId ? current.referrals.map((r) => r.personId) : []);
        return input.referrals
          .filter((r) => !known.has(r.personId))
          .map((r) => ({ requesterId: input.requesterId, intervieweeId: input.intervieweeId, contactId: r.personId }));
      });
      await ensureReferralRelationships(tx, ctx.tenantId, edges);
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
    // The record is its row (and its child lists): GraphQL may build it as JSON in SQL.
    recordColumns: {},
    childLists: { referrals: referralList },
    parents: {
      requesterId: interviews.requesterId,
      intervieweeId: interviews.intervieweeId,
      requesterOrIntervieweeId: [interviews.requesterId, interviews.intervieweeId],
      organizationId: interviews.organizationId,
    },
  });
}
export type InterviewsService = ReturnType<typeof createInterviewsService>;
