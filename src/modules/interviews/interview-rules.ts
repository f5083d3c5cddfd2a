import type { Executor } from '../../db/client.js';
import { opportunities, organizations, people, questionTemplates } from '../../db/schema/index.js';
import { citationCounts } from '../career-strategies/career-strategies.repository.js';
import type { Pending } from '../shared/entity-definition.js';
import { opportunitiesNamingEach } from '../opportunities/opportunities.repository.js';
import { canonical } from '../shared/merge-patch.js';
import { missingIn, type Existing, type Reference } from '../shared/references.js';
import type { Problem } from '../shared/rules.js';
import { interviewStatus } from './interview-status.js';
import { doNotContactAmong } from './interviews.repository.js';
import type { Interview, InterviewInput } from './interviews.schemas.js';

/** What stays editable once an interview is completed: what was learned and what follows. */
export const editableWhenCompleted = ['notes', 'insights', 'followUps', 'skillRatings', 'thankYouSentAt', 'questions', 'tags', 'goals'] as const;

export interface InterviewFacts {
  /** Interviewees (of the batch) who asked not to be contacted. */
  doNotContact: Set<string>;
  /** For stored interviews of the batch whose requester changes: how many career strategies cite each. */
  citations: Map<string, number>;
  /** The same, of opportunities that came up in each (their seeker is its requester). */
  opportunityCitations: Map<string, number>;
}

export const interviewReferences = (input: InterviewInput): Reference[] => [
  { path: 'requesterId', table: people, id: input.requesterId, noun: 'person' },
  { path: 'intervieweeId', table: people, id: input.intervieweeId, noun: 'person' },
  { path: 'organizationId', table: organizations, id: input.organizationId, noun: 'organization' },
  ...input.referrals.map((r, i) => ({ path: `referrals.${i}.personId`, table: people, id: r.personId, noun: 'person' })),
  ...input.questions.map((q, i) => ({ path: `questions.${i}.templateId`, table: questionTemplates, id: q.templateId, noun: 'question template' })),
];

export async function loadInterviewFacts(db: Executor, tenantId: string, pending: Pending<InterviewInput, Interview>[]): Promise<InterviewFacts> {
  const requesterChanges = pending.flatMap((p) => (p.current && p.current.requesterId !== p.input.requesterId ? [p.current.id] : []));
  return {
    doNotContact: await doNotContactAmong(db, tenantId, [...new Set(pending.map((p) => p.input.intervieweeId))]),
    citations: await citationCounts(db, tenantId, requesterChanges),
    opportunityCitations: await opportunitiesNamingEach(db, tenantId, opportunities.sourceInterviewId, requesterChanges),
  };
}

/** Defaults that depend on the stored record, filled before a write is compared with it. */
export function prepareInterview(input: InterviewInput, current: Interview | null): InterviewInput {
  // occurredAt defaults to now on completion, and to what it was on a completed interview.
  if (input.status !== 'completed' || input.occurredAt) return input;
  const occurredAt = current?.status === 'completed' && current.occurredAt ? current.occurredAt : new Date().toISOString();
  return { ...input, occurredAt };
}

/** Once completed, only what was learned and what follows may change; the rest is the record. */
function completedEditProblems(input: InterviewInput, current: Interview | null): Problem[] {
  if (current?.status !== 'completed' || input.status !== 'completed') return [];
  const editable = new Set<string>(editableWhenCompleted);
  const detail = `A completed interview is final: only ${editableWhenCompleted.join(', ')} may change.`;
  return (Object.keys(input) as (keyof InterviewInput)[])
    .filter((key) => !editable.has(key) && key !== 'status' && canonical(input[key]) !== canonical(current[key]))
    .map((path) => ({ path, message: 'cannot change once the interview is completed', kind: 'conflict' as const, detail }));
}

/** Problems of the input on its own: who is who, the referrals, the schedule. */
function inputProblems(input: InterviewInput): Problem[] {
  const problems: Problem[] = [];
  if (input.requesterId === input.intervieweeId) problems.push({ path: 'intervieweeId', message: 'must be another person than the requester' });
  const seen = new Set<string>();
  input.referrals.forEach((r, i) => {
    const path = `referrals.${i}.personId`;
    if (r.personId === input.requesterId) problems.push({ path, message: 'is the requester: a referral is someone new to them' });
    else if (r.personId === input.intervieweeId) problems.push({ path, message: 'is the interviewee: a referral is someone they suggested' });
    else if (seen.has(r.personId)) problems.push({ path, message: 'is already referred in this interview' });
    seen.add(r.personId);
  });
  if (input.status === 'scheduled' && !input.scheduledAt) problems.push({ path: 'scheduledAt', message: 'is required once the interview is scheduled' });
  return problems;
}

/** What may cite an interview as its requester's own, and how the refusal reads. */
const citingKinds = [
  {
    counts: 'citations',
    message: 'cannot change while career strategies cite the interview',
    detail: "Career strategies cite this interview as their person's own: its requester cannot change.",
  },
  {
    counts: 'opportunityCitations',
    message: 'cannot change while opportunities came up in the interview',
    detail: 'Opportunities name this interview as where their seeker found them: its requester cannot change.',
  },
] as const;

/** The domain rules of an interview write, every problem at once; `current` is null on create. */
export function interviewRules(input: InterviewInput, current: Interview | null, facts: InterviewFacts & { existing: Existing }): Problem[] {
  const missing = missingIn(facts.existing, interviewReferences(input));
  const problems = [...interviewStatus.transitionProblems(current?.status ?? null, input.status), ...completedEditProblems(input, current), ...inputProblems(input), ...missing];
  // Strategies and opportunities cite only their person's own interviews: the requester stays
  // while any does. (A requester that does not exist is the problem to fix first: no conflict with it is told.)
  const requesterMissing = missing.some((p) => p.path === 'requesterId');
  if (current && !requesterMissing && current.requesterId !== input.requesterId) {
    for (const citing of citingKinds) {
      if ((facts[citing.counts].get(current.id) ?? 0) > 0) problems.push({ path: 'requesterId', message: citing.message, kind: 'conflict', detail: citing.detail });
    }
  }
  // No new interview, and no move to planned or requested, with someone who asked not to be contacted.
  const approaches =
    current === null ||
    current.intervieweeId !== input.intervieweeId ||
    (current.status !== input.status && (input.status === 'planned' || input.status === 'requested'));
  if (approaches && facts.doNotContact.has(input.intervieweeId)) {
    problems.push({
      path: 'intervieweeId',
      message: 'asked not to be contacted',
      kind: 'conflict',
      detail: 'The interviewee asked not to be contacted: no interview may be planned or requested with them.',
    });
  }
  return problems;
}
