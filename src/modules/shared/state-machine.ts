import type { Problem } from './rules.js';

export type TransitionCheck<S extends string> = { ok: true } | { ok: false; allowed: readonly S[] };

/**
 * A status field's state machine: each status and the statuses it may move to, and those a new
 * record may start in. Keeping the same status is no transition and always allowed.
 */
export function stateMachine<S extends string>(noun: string, transitions: Readonly<Record<S, readonly S[]>>, initial: readonly S[]) {
  /** Whether a record may go from `from` to `to`; `from` null is a new record. */
  function checkTransition(from: S | null, to: S): TransitionCheck<S> {
    if (from === to) return { ok: true };
    const allowed = from === null ? initial : transitions[from];
    return allowed.includes(to) ? { ok: true } : { ok: false, allowed };
  }

  /** The move as a rule's problem (a 409 invalid_transition naming the allowed states), or none. */
  function transitionProblems(from: S | null, to: S): Problem[] {
    const move = checkTransition(from, to);
    if (move.ok) return [];
    return [
      {
        path: 'status',
        message: `must be one of: ${move.allowed.join(', ') || '(none: the status is final)'}`,
        kind: 'transition',
        allowed: move.allowed,
        detail: from === null ? `A new ${noun} cannot start as ${to}.` : `An ${noun} cannot go from ${from} to ${to}.`.replace(/^An ([^aeiou])/, 'A $1'),
      },
    ];
  }

  return { transitions, initial, checkTransition, transitionProblems };
}
