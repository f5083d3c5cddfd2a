import type { interviewStatuses } from '../../db/schema/index.js';

export type InterviewStatus = (typeof interviewStatuses)[number];

/** The statuses a new interview may start in: `completed` logs one after the fact. */
export const initialStatuses: readonly InterviewStatus[] = ['planned', 'requested', 'scheduled', 'completed'];

/** The state machine of domain.md: each status and the statuses it may move to. */
export const interviewTransitions: Readonly<Record<InterviewStatus, readonly InterviewStatus[]>> = {
  planned: ['requested', 'scheduled', 'cancelled'],
  requested: ['scheduled', 'cancelled'],
  scheduled: ['scheduled', 'completed', 'cancelled', 'no_show'],
  completed: [],
  cancelled: ['planned'],
  no_show: ['planned', 'scheduled'],
};

export type TransitionCheck = { ok: true } | { ok: false; allowed: readonly InterviewStatus[] };

/**
 * Whether an interview may go from `from` to `to`; `from` null is a new interview. Keeping the
 * same status is no transition and always allowed.
 */
export function checkTransition(from: InterviewStatus | null, to: InterviewStatus): TransitionCheck {
  if (from === to) return { ok: true };
  const allowed = from === null ? initialStatuses : interviewTransitions[from];
  return allowed.includes(to) ? { ok: true } : { ok: false, allowed };
}
