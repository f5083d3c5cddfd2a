import type { Executor } from '../../db/client.js';
import { organizations, people } from '../../db/schema/index.js';
import { missingIn, type Existing, type Reference } from '../shared/references.js';
import type { Problem } from '../shared/rules.js';
import type { Pending } from '../shared/entity-definition.js';
import { interviewRequesters } from '../interviews/interviews.repository.js';
import type { CareerStrategy, CareerStrategyInput } from './career-strategies.schemas.js';

export interface StrategyFacts {
  /** Requester of each cited interview of the tenant. */
  requesters: Map<string, string>;
}

/** The person and target organizations a strategy names (its interviews are checked with their requester). */
export const strategyReferences = (input: CareerStrategyInput): Reference[] => [
  { path: 'personId', table: people, id: input.personId, noun: 'person' },
  ...input.targetOrganizationIds.map((id, i) => ({ path: `targetOrganizationIds.${i}`, table: organizations, id, noun: 'organization' })),
];

export async function loadStrategyFacts(db: Executor, tenantId: string, pending: Pending<CareerStrategyInput, CareerStrategy>[]): Promise<StrategyFacts> {
  return { requesters: await interviewRequesters(db, tenantId, [...new Set(pending.flatMap((p) => p.input.informedByInterviewIds))]) };
}

/** The strategy's informing interviews: each must exist and be requested by its person. */
function interviewProblems(input: CareerStrategyInput, requesters: Map<string, string>): Problem[] {
  return input.informedByInterviewIds.flatMap((id, i) => {
    const requester = requesters.get(id);
    const path = `informedByInterviewIds.${i}`;
    // Another tenant's interview is invisible here, so it reads exactly like a missing one.
    if (requester === undefined) return [{ path, message: 'no interview with this id', detail: 'A referenced record does not exist.' }];
    if (requester !== input.personId) return [{ path, message: "is not one of this person's own interviews", detail: "The strategy may cite only its person's own interviews." }];
    return [];
  });
}

/** Person, target organizations and informing interviews: every problem at once. */
export function strategyRules(input: CareerStrategyInput, _current: CareerStrategy | null, facts: StrategyFacts & { existing: Existing }): Problem[] {
  return [...missingIn(facts.existing, strategyReferences(input)), ...interviewProblems(input, facts.requesters)];
}
