import type { Executor } from '../../db/client.js';
import { interviews, organizations, people } from '../../db/schema/index.js';
import type { Pending } from '../shared/entity-definition.js';
import { missingIn, type Existing, type Reference } from '../shared/references.js';
import type { Problem } from '../shared/rules.js';
import { finalStatuses, opportunityStatus } from './opportunity-status.js';
import { interviewRequesters } from '../interviews/interviews.repository.js';
import type { Opportunity, OpportunityInput } from './opportunities.schemas.js';

export interface OpportunityFacts {
  /** The requester of each source interview the batch names. */
  requesters: Map<string, string>;
}

export const opportunityReferences = (input: OpportunityInput): Reference[] => [
  { path: 'seekerId', table: people, id: input.seekerId, noun: 'person' },
  { path: 'organizationId', table: organizations, id: input.organizationId, noun: 'organization' },
  { path: 'referredById', table: people, id: input.referredById, noun: 'person' },
  { path: 'sourceInterviewId', table: interviews, id: input.sourceInterviewId, noun: 'interview' },
];

export const loadOpportunityFacts = async (db: Executor, tenantId: string, pending: Pending<OpportunityInput, Opportunity>[]): Promise<OpportunityFacts> => ({
  requesters: await interviewRequesters(db, tenantId, [...new Set(pending.flatMap((p) => (p.input.sourceInterviewId ? [p.input.sourceInterviewId] : [])))]),
});

/** The stamp each status sets on entry. */
const stamps = { applied: 'appliedAt', offered: 'offeredAt', ...Object.fromEntries(finalStatuses.map((s) => [s, 'decidedAt'])) } as Record<string, 'appliedAt' | 'offeredAt' | 'decidedAt'>;

/**
 * Entering a status stamps its time (appliedAt, offeredAt, decidedAt) unless one is given; a
 * stamp left out of a full replacement keeps what is stored, as long as the status stays.
 */
export function prepareOpportunity(input: OpportunityInput, current: Opportunity | null): OpportunityInput {
  const stamp = stamps[input.status];
  if (!stamp || input[stamp]) return input;
  if (current?.status === input.status) return current[stamp] ? { ...input, [stamp]: current[stamp] } : input;
  return { ...input, [stamp]: new Date().toISOString() };
}

/** Every problem of one opportunity write; `current` is null on create. */
export function opportunityRules(input: OpportunityInput, current: Opportunity | null, facts: OpportunityFacts & { existing: Existing }): Problem[] {
  const missing = missingIn(facts.existing, opportunityReferences(input));
  const problems = [...opportunityStatus.transitionProblems(current?.status ?? null, input.status), ...missing];
  if (input.referredById !== null && input.referredById === input.seekerId) problems.push({ path: 'referredById', message: 'must be another person than the seeker' });
  // A referral names its referrer. One whose referrer was deleted (and cleared) stays editable.
  const referrerLost = current?.source === 'referral' && current.referredById === null;
  if (input.source === 'referral' && input.referredById === null && !referrerLost) {
    problems.push({ path: 'referredById', message: 'is required when source is referral' });
  }
  // A seeker that does not exist is the problem to fix first: no mismatch with it is told.
  const seekerMissing = missing.some((p) => p.path === 'seekerId');
  const requester = input.sourceInterviewId ? facts.requesters.get(input.sourceInterviewId) : undefined;
  if (requester !== undefined && !seekerMissing && requester !== input.seekerId) {
    problems.push({ path: 'sourceInterviewId', message: "must be one of the seeker's own interviews (they are its requester)" });
  }
  return problems;
}
