import type { AnalyticsSummary, Rate } from './analytics.schemas.js';

const HEADER = 'figure,key,numerator,denominator,value';

/** A CSV cell: quoted when it holds a comma, a quote or a line break (RFC 4180). */
const cell = (value: string | number | null) => {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * The summary as one CSV table for a spreadsheet: a row per figure (and per status, bucket,
 * month and source, skill, stage), rates with their numerator and denominator.
 */
export function summaryCsv(s: AnalyticsSummary): string {
  const rows: (string | number | null)[][] = [];
  const count = (figure: string, key: string | null, value: number) => rows.push([figure, key, null, null, value]);
  const rate = (figure: string, key: string | null, r: Rate) => rows.push([figure, key, r.numerator, r.denominator, r.rate]);

  for (const { status, count: n } of s.interviewsByStatus) count('interviews_by_status', status, n);
  count('completed_per_requester', 'requesters', s.completedPerRequester.requesters);
  count('completed_per_requester', 'median', s.completedPerRequester.median);
  for (const { bucket, requesters } of s.completedPerRequester.histogram) count('completed_per_requester_histogram', bucket, requesters);
  rate('thank_you_rate', null, s.thankYouRate);
  rate('follow_up_completion', null, s.followUpCompletion);
  rate('no_show_rate', null, s.noShowRate);
  rate('referrals_per_completed_interview', null, s.referralsPerCompletedInterview);
  for (const { month, source, count: n } of s.networkGrowth) count('network_growth', `${month} ${source ?? '(none)'}`, n);
  for (const g of s.skillGrowth) {
    count('skill_growth', `${g.skill} requesters`, g.requesters);
    count('skill_growth', `${g.skill} mean_first`, g.meanFirst);
    count('skill_growth', `${g.skill} mean_latest`, g.meanLatest);
    rate('skill_growth', `${g.skill} improved`, g.improved);
  }
  for (const [stage, n] of Object.entries(s.funnel)) count('funnel', stage, n);
  for (const [share, r] of Object.entries(s.hiddenMarket)) rate('hidden_market', share, r);
  return `${[HEADER, ...rows.map((row) => row.map(cell).join(','))].join('\r\n')}\r\n`;
}
