import type { RequestContext } from '../../context.js';
import type { Tx } from '../../db/client.js';
import { organizations, people } from '../../db/schema/index.js';
import { AppError, type FieldError } from '../../errors.js';
import { canonical } from '../shared/merge-patch.js';
import { missingReferences } from '../shared/references.js';
import { invalid } from '../shared/validation.js';
import { checkTransition } from './interview-status.js';
import { interviewDependents, isDoNotContact } from './interviews.repository.js';
import type { Interview, InterviewInput } from './interviews.schemas.js';

/** What stays editable once an interview is completed: what was learned and what follows. */
export const editableWhenCompleted = ['notes', 'insights', 'followUps', 'skillRatings', 'thankYouSentAt', 'questions', 'tags', 'goals'] as const;

/** Problems of the input on its own: who is who, the referrals, the schedule. */
function inputProblems(input: InterviewInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.requesterId === input.intervieweeId) errors.push({ path: 'intervieweeId', message: 'must be another person than the requester' });
  const seen = new Set<string>();
  input.referrals.forEach((r, i) => {
    const path = `referrals.${i}.personId`;
    if (r.personId === input.requesterId) errors.push({ path, message: 'is the requester: a referral is someone new to them' });
    else if (r.personId === input.intervieweeId) errors.push({ path, message: 'is the interviewee: a referral is someone they suggested' });
    else if (seen.has(r.personId)) errors.push({ path, message: 'is already referred in this interview' });
    seen.add(r.personId);
  });
  if (input.status === 'scheduled' && !input.scheduledAt) errors.push({ path: 'scheduledAt', message: 'is required once the interview is scheduled' });
  return errors;
}

/** Every referenced record must be the tenant's; reported together with the input's own problems. */
async function assertValid(tx: Tx, tenantId: string, input: InterviewInput): Promise<void> {
  const errors = [
    ...inputProblems(input),
    ...(await missingReferences(tx, tenantId, [
      { path: 'requesterId', table: people, id: input.requesterId, noun: 'person' },
      { path: 'intervieweeId', table: people, id: input.intervieweeId, noun: 'person' },
      { path: 'organizationId', table: organizations, id: input.organizationId, noun: 'organization' },
      ...input.referrals.map((r, i) => ({ path: `referrals.${i}.personId`, table: people, id: r.personId, noun: 'person' })),
    ])),
  ];
  if (errors.length) throw invalid(errors);
}

/** Once completed, only what was learned and what follows may change; the rest is the record. */
function assertCompletedEdit(input: InterviewInput, current: Interview): void {
  if (current.status !== 'completed' || input.status !== 'completed') return;
  const editable = new Set<string>(editableWhenCompleted);
  const frozen = (Object.keys(input) as (keyof InterviewInput)[]).filter(
    (key) => !editable.has(key) && key !== 'status' && canonical(input[key]) !== canonical(current[key]),
  );
  if (frozen.length === 0) return;
  throw new AppError('conflict', `A completed interview is final: only ${editableWhenCompleted.join(', ')} may change.`, {
    errors: frozen.map((path) => ({ path, message: 'cannot change once the interview is completed' })),
  });
}

/** Defaults that depend on the stored record, filled before a write is compared with it. */
export function prepareInterview(input: InterviewInput, current: Interview | null): InterviewInput {
  // occurredAt defaults to now on completion, and to what it was on a completed interview.
  if (input.status !== 'completed' || input.occurredAt) return input;
  const occurredAt = current?.status === 'completed' && current.occurredAt ? current.occurredAt : new Date().toISOString();
  return { ...input, occurredAt };
}

/** The domain rules of an interview write; `current` is null on create. */
export async function checkInterview(tx: Tx, ctx: RequestContext, input: InterviewInput, current: Interview | null): Promise<void> {
  // The state machine first: when the move is impossible, no field fix would help.
  const from = current?.status ?? null;
  const move = checkTransition(from, input.status);
  if (!move.ok) {
    const detail = from === null ? `A new interview cannot start as ${input.status}.` : `An interview cannot go from ${from} to ${input.status}.`;
    throw new AppError('invalid_transition', detail, {
      extra: { allowed: [...move.allowed] },
      errors: [{ path: 'status', message: `must be one of: ${move.allowed.join(', ') || '(none: the status is final)'}` }],
    });
  }
  if (current) assertCompletedEdit(input, current);
  await assertValid(tx, ctx.tenantId, input);
  // A strategy cites only its person's own interviews: the requester stays while one does.
  if (current && current.requesterId !== input.requesterId && ((await interviewDependents(tx, ctx.tenantId, current.id)).careerStrategies ?? 0) > 0) {
    throw new AppError('conflict', "Career strategies cite this interview as their person's own: its requester cannot change.", {
      errors: [{ path: 'requesterId', message: 'cannot change while career strategies cite the interview' }],
    });
  }

  // No new interview, and no move to planned or requested, with someone who asked not to be contacted.
  const approaches =
    current === null ||
    current.intervieweeId !== input.intervieweeId ||
    (current.status !== input.status && (input.status === 'planned' || input.status === 'requested'));
  if (approaches && (await isDoNotContact(tx, ctx.tenantId, input.intervieweeId))) {
    throw new AppError('conflict', 'The interviewee asked not to be contacted: no interview may be planned or requested with them.', {
      errors: [{ path: 'intervieweeId', message: 'asked not to be contacted' }],
    });
  }
}
