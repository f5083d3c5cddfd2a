import { and, count, eq, inArray, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Executor, Tx } from '../../db/client.js';
import { careerStrategyInterviews, interviewReferrals, interviews, interviewWhen, opportunities, people } from '../../db/schema/index.js';
import { detachFromStrategies } from '../career-strategies/career-strategies.repository.js';
import { clearOpportunitySourceInterviews, opportunitiesNaming } from '../opportunities/opportunities.repository.js';
import { ensureRelationships } from '../relationships/relationships.repository.js';
import type { ChildList } from '../shared/child-lists.js';
import { createEntityRepository } from '../shared/entity.repository.js';
import { changeStamp } from '../shared/records.js';
import type { InterviewListQuery } from './interviews.schemas.js';

export type InterviewRow = typeof interviews.$inferSelect;
export interface Referral {
  personId: string;
  note?: string;
}

/** The list filters; `from`/`to` use the indexed expression interviewWhen (occurredAt, else scheduledAt). */
export function interviewFilters(q: InterviewListQuery): SQL[] {
  const where: SQL[] = [];
  if (q.status) where.push(eq(interviews.status, q.status));
  if (q.requesterId) where.push(eq(interviews.requesterId, q.requesterId));
  if (q.intervieweeId) where.push(eq(interviews.intervieweeId, q.intervieweeId));
  if (q.organizationId) where.push(eq(interviews.organizationId, q.organizationId));
  if (q.from) where.push(sql`${interviewWhen(interviews)} >= ${q.from}::timestamptz`);
  if (q.to) where.push(sql`${interviewWhen(interviews)} <= ${q.to}::timestamptz`);
  return where;
}

export const interviewsRepository = createEntityRepository<InterviewRow, InterviewListQuery>(interviews, interviewFilters);

// A person that vanished between the check and the write is the same answer as the check's.
export const referralPaths = {
  interview_referrals_person_fk: 'referrals',
  relationships_contact_fk: 'referrals',
  relationships_person_fk: 'requesterId',
  relationships_introduced_by_fk: 'intervieweeId',
};

/** An interview's referrals, kept in its order as child rows. */
export const referralList: ChildList<Referral> = {
  table: interviewReferrals,
  parent: interviewReferrals.interviewId,
  toColumns: (r) => ({ personId: r.personId, note: r.note ?? null }),
  fromRow: (row) => ({ personId: row.personId as string, ...(row.note ? { note: row.note as string } : {}) }),
  constraintPaths: referralPaths,
  noun: 'interview',
};

/**
 * Makes sure each requester knows each person referred to them: a missing edge is created as
 * a referral introduced by the interviewee; an existing one is left exactly as it is.
 */
export const ensureReferralRelationships = (db: Executor, tenantId: string, edges: { requesterId: string; intervieweeId: string; contactId: string }[]) =>
  ensureRelationships(
    db,
    tenantId,
    edges.map((e) => ({ personId: e.requesterId, contactId: e.contactId, source: 'referral', introducedById: e.intervieweeId })),
    referralPaths,
    'interview',
  );

/** Interview id -> requester id, for the ids of this tenant that exist. */
export async function interviewRequesters(db: Executor, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: interviews.id, requesterId: interviews.requesterId })
    .from(interviews)
    .where(and(eq(interviews.tenantId, tenantId), inArray(interviews.id, ids)));
  return new Map(rows.map((r) => [r.id, r.requesterId]));
}

/** Of these people, those who asked not to be contacted. */
export async function doNotContactAmong(db: Executor, tenantId: string, personIds: string[]): Promise<Set<string>> {
  if (personIds.length === 0) return new Set();
  const rows = await db
    .select({ id: people.id })
    .from(people)
    .where(and(eq(people.tenantId, tenantId), inArray(people.id, personIds), eq(people.doNotContact, true)));
  return new Set(rows.map((r) => r.id));
}

const citedBy = (tenantId: string, id: string) =>
  and(eq(careerStrategyInterviews.tenantId, tenantId), eq(careerStrategyInterviews.interviewId, id));

/** Who refers to an interview: career strategies it informed, opportunities that came up in it. Its referrals are part of it. */
export async function interviewDependents(db: Executor, tenantId: string, id: string): Promise<Record<string, number>> {
  const rows = await db.select({ n: count() }).from(careerStrategyInterviews).where(citedBy(tenantId, id));
  return { careerStrategies: Number(rows[0]?.n ?? 0), opportunities: await opportunitiesNaming(db, tenantId, opportunities.sourceInterviewId, id) };
}

/** An interview's deletion with cascade: the strategies citing it lose it, and opportunities their source, as a change of each. */
export async function removeInterviewCitations(tx: Tx, tenantId: string, id: string): Promise<void> {
  await detachFromStrategies(tx, tenantId, { interviewIds: [id] });
  await clearOpportunitySourceInterviews(tx, tenantId, [id]);
}

/** An organization's deletion: interviews that name it forget it, as a change of each. */
export async function clearInterviewOrganization(db: Executor, tenantId: string, organizationId: string): Promise<void> {
  await db
    .update(interviews)
    .set({ organizationId: null, ...changeStamp(interviews) })
    .where(and(eq(interviews.tenantId, tenantId), eq(interviews.organizationId, organizationId)));
}

/** The person's own interviews: as requester or as interviewee. */
export const ownInterviews = (tenantId: string, personId: string) =>
  and(eq(interviews.tenantId, tenantId), or(eq(interviews.requesterId, personId), eq(interviews.intervieweeId, personId)));

/**
 * A person's deletion: other interviews that named them as a referral lose that element (a
 * change of each); their own interviews go, after the strategies citing those lose them.
 */
export async function removePersonFromInterviews(tx: Tx, tenantId: string, personId: string): Promise<void> {
  const referring = tx
    .select({ id: interviewReferrals.interviewId })
    .from(interviewReferrals)
    .where(and(eq(interviewReferrals.tenantId, tenantId), eq(interviewReferrals.personId, personId)));
  await tx
    .update(interviews)
    .set(changeStamp(interviews))
    .where(and(eq(interviews.tenantId, tenantId), inArray(interviews.id, referring), ne(interviews.requesterId, personId), ne(interviews.intervieweeId, personId)));
  await tx.delete(interviewReferrals).where(and(eq(interviewReferrals.tenantId, tenantId), eq(interviewReferrals.personId, personId)));

  const own = (await tx.select({ id: interviews.id }).from(interviews).where(ownInterviews(tenantId, personId))).map((r) => r.id);
  await detachFromStrategies(tx, tenantId, { interviewIds: own });
  await clearOpportunitySourceInterviews(tx, tenantId, own);
  // Their referrals go with them (FK cascade).
  await tx.delete(interviews).where(ownInterviews(tenantId, personId));
}
