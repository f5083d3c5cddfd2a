import { reviseStrategiesBeforeChange } from '../career-strategies/career-strategies.service.js';
import { and, asc, count, eq, inArray } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  careerStrategyInterviews,
  interviewReferrals,
  type interviews,
  people,
  relationships,
} from '../../db/schema/index.js';
import { translateDbError } from '../shared/db-errors.js';

export type InterviewRow = typeof interviews.$inferSelect;
export interface Referral {
  personId: string;
  note?: string;
}

// A person that vanished between the check and the write is the same answer as the check's.
const referralPaths = {
  interview_referrals_person_fk: 'referrals',
  relationships_contact_fk: 'referrals',
  relationships_person_fk: 'requesterId',
  relationships_introduced_by_fk: 'intervieweeId',
};

/** The referrals of many interviews in one query, by interview, in their order. */
export async function referralsOf(tx: Tx, tenantId: string, interviewIds: string[]): Promise<Map<string, Referral[]>> {
  const byInterview = new Map<string, Referral[]>(interviewIds.map((id) => [id, []]));
  if (interviewIds.length === 0) return byInterview;
  const rows = await tx
    .select()
    .from(interviewReferrals)
    .where(and(eq(interviewReferrals.tenantId, tenantId), inArray(interviewReferrals.interviewId, interviewIds)))
    .orderBy(asc(interviewReferrals.interviewId), asc(interviewReferrals.position));
  for (const row of rows) {
    byInterview.get(row.interviewId)?.push({ personId: row.personId, ...(row.note ? { note: row.note } : {}) });
  }
  return byInterview;
}

/** Replaces an interview's referral rows with `referrals`, position = index. */
export async function replaceReferrals(tx: Tx, tenantId: string, interviewId: string, referrals: Referral[]): Promise<void> {
  await tx.delete(interviewReferrals).where(and(eq(interviewReferrals.tenantId, tenantId), eq(interviewReferrals.interviewId, interviewId)));
  if (referrals.length === 0) return;
  await tx
    .insert(interviewReferrals)
    .values(referrals.map((r, position) => ({ tenantId, interviewId, position, personId: r.personId, note: r.note ?? null })))
    .catch((err: unknown) => translateDbError(err, referralPaths, 'interview'));
}

/**
 * Makes sure `requesterId` knows each of `contactIds`: a missing edge is created as a referral
 * introduced by the interviewee; an existing one is left exactly as it is.
 */
export async function ensureReferralRelationships(
  tx: Tx,
  tenantId: string,
  requesterId: string,
  intervieweeId: string,
  contactIds: string[],
): Promise<void> {
  if (contactIds.length === 0) return;
  await tx
    .insert(relationships)
    .values(contactIds.map((contactId) => ({ tenantId, personId: requesterId, contactId, source: 'referral' as const, introducedById: intervieweeId })))
    .onConflictDoNothing({ target: [relationships.tenantId, relationships.personId, relationships.contactId] })
    .catch((err: unknown) => translateDbError(err, referralPaths, 'interview'));
}

/** Whether a person of the tenant asked not to be contacted (false when there is no such person). */
export async function isDoNotContact(tx: Tx, tenantId: string, personId: string): Promise<boolean> {
  const rows = await tx
    .select({ doNotContact: people.doNotContact })
    .from(people)
    .where(and(eq(people.tenantId, tenantId), eq(people.id, personId)));
  return rows[0]?.doNotContact ?? false;
}

const citedBy = (tenantId: string, id: string) =>
  and(eq(careerStrategyInterviews.tenantId, tenantId), eq(careerStrategyInterviews.interviewId, id));

/** Who refers to an interview: career strategies it informed. Its referrals are part of it. */
export async function interviewDependents(tx: Tx, tenantId: string, id: string): Promise<Record<string, number>> {
  const rows = await tx.select({ n: count() }).from(careerStrategyInterviews).where(citedBy(tenantId, id));
  return { careerStrategies: Number(rows[0]?.n ?? 0) };
}

/** Takes the interview out of the strategies that cite it, as a change of each strategy. */
export async function removeInterviewCitations(tx: Tx, tenantId: string, id: string): Promise<void> {
  const citing = await tx.select({ id: careerStrategyInterviews.strategyId }).from(careerStrategyInterviews).where(citedBy(tenantId, id));
  await reviseStrategiesBeforeChange(tx, tenantId, citing.map((r) => r.id));
  await tx.delete(careerStrategyInterviews).where(citedBy(tenantId, id));
}
