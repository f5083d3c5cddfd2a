import type { Tx } from '../../db/client.js';
import { organizations, people } from '../../db/schema/index.js';
import type { FieldError } from '../../errors.js';
import { missingReferences } from '../shared/references.js';
import { invalid } from '../shared/validation.js';
import { bumpStrategies, insertRevisions, interviewRequesters, lockActiveStrategy, type CareerStrategyRow } from './career-strategies.repository.js';
import type { CareerStrategy, CareerStrategyInput } from './career-strategies.schemas.js';

/** The strategy's informing interviews: each must exist and be requested by its person. */
async function interviewErrors(tx: Tx, tenantId: string, input: CareerStrategyInput): Promise<FieldError[]> {
  const requesters = await interviewRequesters(tx, tenantId, input.informedByInterviewIds);
  return input.informedByInterviewIds.flatMap((id, i) => {
    const requester = requesters.get(id);
    const path = `informedByInterviewIds.${i}`;
    // Another tenant's interview is invisible here, so it reads exactly like a missing one.
    if (requester === undefined) return [{ path, message: 'no interview with this id' }];
    if (requester !== input.personId) return [{ path, message: "is not one of this person's own interviews" }];
    return [];
  });
}

/** Person, target organizations and informing interviews, every problem listed at once. */
export async function checkStrategyReferences(tx: Tx, tenantId: string, input: CareerStrategyInput): Promise<void> {
  const missing = await missingReferences(tx, tenantId, [
    { path: 'personId', table: people, id: input.personId, noun: 'person' },
    ...input.targetOrganizationIds.map((id, i) => ({ path: `targetOrganizationIds.${i}`, table: organizations, id, noun: 'organization' })),
  ]);
  const interviewProblems = await interviewErrors(tx, tenantId, input);
  if (missing.length) throw invalid([...missing, ...interviewProblems], 'A referenced record does not exist.');
  if (interviewProblems.length) throw invalid(interviewProblems, "The strategy may cite only its person's own interviews.");
}

/**
 * At most one active strategy per person: the one that was active is archived first, as a
 * change of it (revision, version, updated_at), so the partial unique index only ever fires
 * for a concurrent activation.
 */
export async function archiveActiveStrategy(
  tx: Tx,
  tenantId: string,
  personId: string,
  exceptId: string | null,
  present: (rows: CareerStrategyRow[]) => Promise<CareerStrategy[]>,
): Promise<void> {
  const active = await lockActiveStrategy(tx, tenantId, personId, exceptId);
  if (!active) return;
  await insertRevisions(tx, tenantId, await present([active]));
  await bumpStrategies(tx, tenantId, [active.id], { status: 'archived' });
}
