import { z } from 'zod';
import { interviewStatuses, opportunityStatuses } from '../../db/schema/index.js';
import { Instant, IntRange } from '../shared/common.schemas.js';

/**
 * Which records the figures are about: a period [from, to) and a population (every filter given
 * must hold) of the person each figure is about: the requester of an interview, the seeker of an
 * opportunity, the person whose relationship it is (domain.md, "Analytics").
 */
export const AnalyticsFilter = z
  .strictObject({
    from: Instant.optional().meta({ description: 'From this instant, inclusive.', examples: ['2026-09-01T00:00:00Z'] }),
    to: Instant.optional().meta({ description: 'Up to this instant, exclusive.', examples: ['2027-01-01T00:00:00Z'] }),
    program: z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters').optional().meta({ description: 'People of this study program (exactly).' }),
    graduationYear: z.coerce
      .number({ message: 'must be a whole year from 1900 to 2100' })
      .pipe(IntRange(1900, 2100, 'year'))
      .optional()
      .meta({ description: 'People graduating this year.' }),
    tag: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').optional().meta({ description: 'People with this tag (exactly).' }),
  })
  .refine((f) => !f.from || !f.to || Date.parse(f.from) <= Date.parse(f.to), { path: ['from'], message: 'must not be after to' });
export type AnalyticsFilter = z.output<typeof AnalyticsFilter>;

const Count = z.number().int().min(0);

export const Rate = z
  .object({ numerator: Count, denominator: Count, rate: z.number().meta({ description: 'numerator ÷ denominator; 0 when the denominator is 0.' }) })
  .meta({ id: 'Rate' });
export type Rate = z.output<typeof Rate>;

export const SKILLS = ['confidence', 'communication', 'interviewing'] as const;
export const HISTOGRAM_BUCKETS = ['0', '1', '2', '3-5', '6+'] as const;

export const AnalyticsSummary = z
  .object({
    interviewsByStatus: z
      .array(z.object({ status: z.enum(interviewStatuses), count: Count }))
      .meta({ description: 'Interviews in the period, per status; every status listed.' }),
    completedPerRequester: z
      .object({
        requesters: Count.meta({ description: 'People with an interview of any status in the period, as requester.' }),
        median: z.number().meta({ description: 'The median of their completed interviews (the mean of the two middle ones for an even count; 0 when none).' }),
        histogram: z.array(z.object({ bucket: z.enum(HISTOGRAM_BUCKETS), requesters: Count })).meta({ description: 'How many of them completed 0, 1, 2, 3-5, 6 or more.' }),
      })
      .meta({ description: 'Completed interviews per requester.' }),
    thankYouRate: Rate.meta({ description: 'Completed interviews with thankYouSentAt from occurredAt to 24 h after, both ends included ÷ completed interviews.' }),
    followUpCompletion: Rate.meta({ description: 'Follow-ups with doneAt ÷ all follow-ups, of completed interviews.' }),
    noShowRate: Rate.meta({ description: 'no_show ÷ (completed + no_show).' }),
    referralsPerCompletedInterview: Rate.meta({ description: 'Referrals on completed interviews ÷ completed interviews (rate may exceed 1).' }),
    networkGrowth: z
      .array(z.object({ month: z.string().meta({ description: 'YYYY-MM, UTC.' }), source: z.string().nullable(), count: Count }))
      .meta({ description: "Relationships created in the period, per month and source, of the population's people." }),
    skillGrowth: z
      .array(
        z.object({
          skill: z.enum(SKILLS),
          requesters: Count.meta({ description: 'Requesters with at least two completed interviews of the period rated on the skill.' }),
          meanFirst: z.number().meta({ description: 'The mean of their first rating (by occurredAt, then id); 0 when none.' }),
          meanLatest: z.number().meta({ description: 'The mean of their latest rating; 0 when none.' }),
          improved: Rate.meta({ description: 'Those whose latest is strictly above their first ÷ requesters.' }),
        }),
      )
      .meta({ description: 'Per skill, every skill listed.' }),
    funnel: z
      .object({
        completedInterviews: Count,
        referrals: Count.meta({ description: 'Referrals on those completed interviews.' }),
        opportunities: Count.meta({ description: "The population's opportunities created in the period." }),
        offers: Count.meta({ description: 'Of those, the ones whose status is offered, accepted or declined.' }),
        accepted: Count,
      })
      .meta({ description: 'The hidden-job-market funnel.' }),
    hiddenMarket: z
      .object({
        offersNotAdvertised: Rate.meta({ description: 'Offers with advertised = false ÷ offers.' }),
        offersThroughNetwork: Rate.meta({ description: 'Offers whose source is referral, informational_interview or network ÷ offers.' }),
        acceptedNotAdvertised: Rate.meta({ description: 'The same of accepted opportunities.' }),
        acceptedThroughNetwork: Rate.meta({ description: 'The same of accepted opportunities.' }),
      })
      .meta({ description: 'Set these beside the estimate that 60-80% of jobs are found in the hidden job market.' }),
  })
  .meta({ id: 'AnalyticsSummary', description: 'The figures a career center reports, each defined in domain.md ("Analytics: the figures, defined").' });
export type AnalyticsSummary = z.output<typeof AnalyticsSummary>;

export const PersonProgress = z
  .object({
    personId: z.uuid(),
    interviewsByMonth: z
      .array(z.object({ month: z.string(), interviews: Count, completed: Count }))
      .meta({ description: 'Their interviews as requester, by month (occurredAt, else scheduledAt, else createdAt; UTC).' }),
    ratings: z
      .array(
        z.object({
          interviewId: z.uuid(),
          occurredAt: z.iso.datetime(),
          confidence: z.number().int().nullable(),
          communication: z.number().int().nullable(),
          interviewing: z.number().int().nullable(),
        }),
      )
      .meta({ description: 'Their own ratings after each completed interview, oldest first: the trend.' }),
    networkByMonth: z
      .array(z.object({ month: z.string(), added: Count, total: Count }))
      .meta({ description: 'Relationships of theirs created per month, and the running total.' }),
    opportunitiesByStatus: z.array(z.object({ status: z.enum(opportunityStatuses), count: Count })).meta({ description: 'Every status listed.' }),
    activeStrategy: z
      .object({ id: z.uuid(), title: z.string().nullable(), revisions: Count })
      .nullable()
      .meta({ description: 'Their active career strategy and how many revisions it has; null when none.' }),
  })
  .meta({ id: 'PersonProgress', description: "One person's progress: interviews over time, ratings, network, opportunities, strategy." });
export type PersonProgress = z.output<typeof PersonProgress>;
