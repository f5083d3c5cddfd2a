import type { opportunityStatuses } from '../../db/schema/index.js';
import { stateMachine } from '../shared/state-machine.js';

export type OpportunityStatus = (typeof opportunityStatuses)[number];

const ended = ['rejected', 'withdrawn', 'closed'] as const;

/** The final statuses: entering one stamps decidedAt. */
export const finalStatuses: readonly OpportunityStatus[] = ['accepted', 'declined', ...ended];

/**
 * The state machine of domain.md. A new opportunity may start in any status: a lead is often
 * recorded after it moved on (applied already, or an offer in hand).
 */
export const opportunityStatus = stateMachine<OpportunityStatus>(
  'opportunity',
  {
    identified: ['applied', ...ended],
    applied: ['interviewing', 'offered', ...ended],
    interviewing: ['offered', ...ended],
    offered: ['accepted', 'declined', 'withdrawn', 'closed'],
    accepted: [],
    declined: [],
    rejected: [],
    withdrawn: [],
    closed: [],
  },
  ['identified', 'applied', 'interviewing', 'offered', 'accepted', 'declined', 'rejected', 'withdrawn', 'closed'],
);
