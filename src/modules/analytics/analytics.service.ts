import { requireScope, type RequestContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { interviewStatuses, opportunityStatuses } from '../../db/schema/index.js';
import { withTenantRead } from '../../db/tenant-transaction.js';
import { AppError } from '../../errors.js';
import { isUuid } from '../shared/common.schemas.js';
import { parseInput } from '../shared/validation.js';
import { selectProgress, selectSummary, type ProgressRow, type SummaryRow } from './analytics.repository.js';
import { AnalyticsFilter, SKILLS, type AnalyticsSummary, type PersonProgress, type Rate } from './analytics.schemas.js';

/** A rate as domain.md gives every one: 0 when the denominator is 0. */
export const rateOf = (numerator: number, denominator: number): Rate => ({ numerator, denominator, rate: denominator === 0 ? 0 : numerator / denominator });

/** Every status listed, with 0 where none. */
const everyStatus = <S extends string>(statuses: readonly S[], counts: Record<string, number>) => statuses.map((status) => ({ status, count: counts[status] ?? 0 }));

export function summaryOf(row: SummaryRow): AnalyticsSummary {
  const r = row.per_requester;
  const completed = row.done.completed;
  const growth = new Map(row.growth.map((g) => [g.skill, g]));
  return {
    interviewsByStatus: everyStatus(interviewStatuses, row.done.by_status),
    completedPerRequester: {
      requesters: r.requesters,
      median: r.median,
      histogram: [
        { bucket: '0', requesters: r.h0 },
        { bucket: '1', requesters: r.h1 },
        { bucket: '2', requesters: r.h2 },
        { bucket: '3-5', requesters: r.h3 },
        { bucket: '6+', requesters: r.h6 },
      ],
    },
    thankYouRate: rateOf(row.done.thank_you, completed),
    followUpCompletion: rateOf(row.done.follow_ups_done, row.done.follow_ups),
    noShowRate: rateOf(row.done.no_shows, completed + row.done.no_shows),
    referralsPerCompletedInterview: rateOf(row.referrals, completed),
    networkGrowth: row.network,
    skillGrowth: SKILLS.map((skill) => {
      const g = growth.get(skill);
      return { skill, requesters: g?.requesters ?? 0, meanFirst: g?.mean_first ?? 0, meanLatest: g?.mean_latest ?? 0, improved: rateOf(g?.improved ?? 0, g?.requesters ?? 0) };
    }),
    funnel: { completedInterviews: completed, referrals: row.referrals, opportunities: row.opp.opportunities, offers: row.opp.offers, accepted: row.opp.accepted },
    hiddenMarket: {
      offersNotAdvertised: rateOf(row.opp.offers_hidden, row.opp.offers),
      offersThroughNetwork: rateOf(row.opp.offers_network, row.opp.offers),
      acceptedNotAdvertised: rateOf(row.opp.accepted_hidden, row.opp.accepted),
      acceptedThroughNetwork: rateOf(row.opp.accepted_network, row.opp.accepted),
    },
  };
}

const progressOf = (row: ProgressRow): PersonProgress => ({
  personId: row.id,
  interviewsByMonth: row.interviews,
  ratings: row.ratings,
  networkByMonth: row.network,
  opportunitiesByStatus: everyStatus(opportunityStatuses, row.opportunities),
  activeStrategy: row.strategy,
});

export function createAnalyticsService(db: Db) {
  return {
    /** The tenant's figures for a period and a population (scope read). */
    async summary(ctx: RequestContext, rawFilter: unknown): Promise<AnalyticsSummary> {
      requireScope(ctx, 'read');
      const filter = parseInput(AnalyticsFilter, rawFilter ?? {}, 'filter');
      return summaryOf(await selectSummary(db, ctx.tenantId, filter));
    },

    /** The progress of each person asked, in order; null where there is no such person in the tenant. */
    async progressOfMany(ctx: RequestContext, personIds: readonly string[]): Promise<(PersonProgress | null)[]> {
      requireScope(ctx, 'read');
      const valid = [...new Set(personIds.filter(isUuid).map((id) => id.toLowerCase()))];
      const rows = valid.length ? await withTenantRead(db, ctx.tenantId, (tx) => selectProgress(tx, ctx.tenantId, valid), { oneStatement: true }) : [];
      const byId = new Map(rows.map((row) => [row.id, progressOf(row)]));
      return personIds.map((id) => byId.get(id.toLowerCase()) ?? null);
    },

    async progress(ctx: RequestContext, personId: string): Promise<PersonProgress> {
      const [found] = await this.progressOfMany(ctx, [personId]);
      if (!found) throw new AppError('not_found', `No person ${personId}.`);
      return found;
    },
  };
}
export type AnalyticsService = ReturnType<typeof createAnalyticsService>;
