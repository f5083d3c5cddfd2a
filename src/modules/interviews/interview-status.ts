import type { interviewStatuses } from '../../db/schema/index.js';
import { stateMachine } from '../shared/state-machine.js';

export type InterviewStatus = (typeof interviewStatuses)[number];

/** The state machine of domain.md; a new interview starts planned, requested, scheduled or completed (logged after the fact). */
export const interviewStatus = stateMachine<InterviewStatus>(
  'interview',
  {
    planned: ['requested', 'scheduled', 'cancelled'],
    requested: ['scheduled', 'cancelled'],
    scheduled: ['scheduled', 'completed', 'cancelled', 'no_show'],
    completed: [],
    cancelled: ['planned'],
    no_show: ['planned', 'scheduled'],
  },
  ['planned', 'requested', 'scheduled', 'completed'],
);
export const { transitions: interviewTransitions, initial: initialStatuses, checkTransition } = interviewStatus;
