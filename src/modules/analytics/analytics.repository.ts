import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Executor } from '../../db/client.js';
import { isoOf } from '../shared/json-tree.js';
import type { AnalyticsFilter } from './analytics.schemas.js';

// The figures of domain.md ("Analytics"), each an aggregate in PostgreSQL: one statement for the
// summary, one for the progress of any number of people. No row is read into Node to be counted.

const OFFER = sql.raw(`('offered', 'accepted', 'declined')`);
const THROUGH_NETWORK = sql.raw(`('referral', 'informational_interview', 'network')`);

/** The population's conditions on the person `p` joined to each record. */
function population(f: AnalyticsFilter): SQL[] {
  const where: SQL[] = [];
  if (f.program !== undefined) where.push(sql`p.program = ${f.program}`);
  if (f.graduationYear !== undefined) where.push(sql`p.graduation_year = ${f.graduationYear}`);
  if (f.tag !== undefined) where.push(sql`p.tags @> array[${f.tag}]::text[]`);
  return where;
}

/** [from, to) on the instant a record falls in the period by. */
function period(at: SQL, f: AnalyticsFilter): SQL[] {
  const where: SQL[] = [];
  if (f.from !== undefined) where.push(sql`${at} >= ${f.from}::timestamptz`);
  if (f.to !== undefined) where.push(sql`${at} < ${f.to}::timestamptz`);
  return where;
}

const and = (conditions: SQL[]) => sql.join(conditions, sql` and `);

export interface SummaryRow {
  by_status: Record<string, number>;
  per_requester: { requesters: number; median: number; h0: number; h1: number; h2: number; h3: number; h6: number };
  done: { completed: number; thank_you: number; follow_ups: number; follow_ups_done: number };
  no_shows: number;
  referrals: number;
  growth: { skill: string; requesters: number; mean_first: number; mean_latest: number; improved: number }[];
  opp: { opportunities: number; offers: number; accepted: number; offers_hidden: number; offers_network: number; accepted_hidden: number; accepted_network: number };
  network: { month: string; source: string | null; count: number }[];
}

export const selectSummary = async (db: Executor, tenantId: string, f: AnalyticsFilter): Promise<SummaryRow> => rowsOf<SummaryRow>(await db.execute(summaryStatement(tenantId, f)))[0]!;

/** The summary's one statement (exported for the benchmark's EXPLAIN). */
export function summaryStatement(tenantId: string, f: AnalyticsFilter): SQL {
  const ofPerson = (column: SQL) => sql`join people p on p.tenant_id = ${tenantId}::uuid and p.id = ${column}`;
  const interviewsWhere = and([sql`i.tenant_id = ${tenantId}::uuid`, ...population(f), ...period(sql`coalesce(i.occurred_at, i.scheduled_at, i.created_at)`, f)]);
  return sql`
    with iv as materialized (
      select i.id, i.requester_id, i.status, i.occurred_at, i.thank_you_sent_at, i.follow_ups, i.skill_ratings
      from interviews i ${ofPerson(sql`i.requester_id`)}
      where ${interviewsWhere}
    ),
    done as (select * from iv where status = 'completed'),
    requesters as (select count(*) filter (where status = 'completed') as n from iv group by requester_id),
    -- Each requester's first and latest rating of each skill (by occurredAt, then id), one group each.
    ratings as (
      select s.skill, d.requester_id, count(*) as rated,
        (array_agg((d.skill_ratings ->> s.skill)::int order by d.occurred_at, d.id))[1] as first,
        (array_agg((d.skill_ratings ->> s.skill)::int order by d.occurred_at desc, d.id desc))[1] as latest
      from done d cross join (values ('confidence'), ('communication'), ('interviewing')) as s(skill)
      where d.skill_ratings ->> s.skill is not null
      group by s.skill, d.requester_id
    ),
    growth as (
      select skill, count(*)::int as requesters, avg(first)::float8 as mean_first, avg(latest)::float8 as mean_latest,
        (count(*) filter (where latest > first))::int as improved
      from ratings where rated >= 2
      group by skill
    ),
    opp as materialized (
      select o.status, o.advertised, o.source
      from opportunities o ${ofPerson(sql`o.seeker_id`)}
      where ${and([sql`o.tenant_id = ${tenantId}::uuid`, ...population(f), ...period(sql`o.created_at`, f)])}
    ),
    network as (
      select to_char(r.created_at at time zone 'UTC', 'YYYY-MM') as month, r.source, count(*)::int as n
      from relationships r ${ofPerson(sql`r.person_id`)}
      where ${and([sql`r.tenant_id = ${tenantId}::uuid`, ...population(f), ...period(sql`r.created_at`, f)])}
      group by 1, 2
    )
    select
      (select coalesce(json_object_agg(status, n), '{}') from (select status, count(*)::int as n from iv group by status) s) as by_status,
      (select json_build_object(
        'requesters', count(*)::int, 'median', coalesce(percentile_cont(0.5) within group (order by n), 0)::float8,
        'h0', count(*) filter (where n = 0), 'h1', count(*) filter (where n = 1), 'h2', count(*) filter (where n = 2),
        'h3', count(*) filter (where n between 3 and 5), 'h6', count(*) filter (where n >= 6)) from requesters) as per_requester,
      (select json_build_object(
        'completed', count(*)::int,
        'thank_you', (count(*) filter (where thank_you_sent_at between occurred_at and occurred_at + interval '24 hours'))::int,
        'follow_ups', coalesce(sum(jsonb_array_length(follow_ups)), 0)::int,
        'follow_ups_done', coalesce(sum((select count(*) from jsonb_array_elements(follow_ups) e where e ->> 'doneAt' is not null)), 0)::int) from done) as done,
      (select count(*)::int from iv where status = 'no_show') as no_shows,
      (select count(*)::int from interview_referrals r join done d on d.id = r.interview_id where r.tenant_id = ${tenantId}::uuid) as referrals,
      (select coalesce(json_agg(growth), '[]') from growth) as growth,
      (select json_build_object(
        'opportunities', count(*)::int,
        'offers', count(*) filter (where status in ${OFFER}),
        'accepted', count(*) filter (where status = 'accepted'),
        'offers_hidden', count(*) filter (where status in ${OFFER} and not advertised),
        'offers_network', count(*) filter (where status in ${OFFER} and source in ${THROUGH_NETWORK}),
        'accepted_hidden', count(*) filter (where status = 'accepted' and not advertised),
        'accepted_network', count(*) filter (where status = 'accepted' and source in ${THROUGH_NETWORK})) from opp) as opp,
      (select coalesce(json_agg(json_build_object('month', month, 'source', source, 'count', n) order by month, source nulls last), '[]') from network) as network`;
}

export interface ProgressRow {
  id: string;
  interviews: { month: string; interviews: number; completed: number }[];
  ratings: { interviewId: string; occurredAt: string; confidence: number | null; communication: number | null; interviewing: number | null }[];
  network: { month: string; added: number; total: number }[];
  opportunities: Record<string, number>;
  strategy: { id: string; title: string | null; revisions: number } | null;
}

/** The progress of each of these people of the tenant (those that exist), in one statement. */
export async function selectProgress(db: Executor, tenantId: string, personIds: string[]): Promise<ProgressRow[]> {
  const t = sql`${tenantId}::uuid`;
  const month = (at: SQL) => sql`to_char(${at} at time zone 'UTC', 'YYYY-MM')`;
  const statement = sql`
    with who as (select p.id from people p where p.tenant_id = ${t} and p.id = any(${sql.param(personIds)}::uuid[])),
    iv as (
      select i.requester_id as person_id, i.id, i.status, i.occurred_at, i.skill_ratings,
        ${month(sql`coalesce(i.occurred_at, i.scheduled_at, i.created_at)`)} as month
      from interviews i where i.tenant_id = ${t} and i.requester_id in (select id from who)
    )
    select who.id,
      (select coalesce(json_agg(json_build_object('month', month, 'interviews', n, 'completed', c) order by month), '[]')
        from (select month, count(*)::int as n, (count(*) filter (where status = 'completed'))::int as c from iv where person_id = who.id group by month) m) as interviews,
      (select coalesce(json_agg(json_build_object('interviewId', id, 'occurredAt', ${isoOf(sql`occurred_at`)},
          'confidence', (skill_ratings ->> 'confidence')::int, 'communication', (skill_ratings ->> 'communication')::int,
          'interviewing', (skill_ratings ->> 'interviewing')::int) order by occurred_at, id), '[]')
        from iv where person_id = who.id and status = 'completed' and skill_ratings is not null) as ratings,
      (select coalesce(json_agg(json_build_object('month', month, 'added', n, 'total', total) order by month), '[]')
        from (select month, n, (sum(n) over (order by month))::int as total
          from (select ${month(sql`r.created_at`)} as month, count(*)::int as n from relationships r where r.tenant_id = ${t} and r.person_id = who.id group by 1) a) b) as network,
      (select coalesce(json_object_agg(status, n), '{}')
        from (select o.status, count(*)::int as n from opportunities o where o.tenant_id = ${t} and o.seeker_id = who.id group by o.status) s) as opportunities,
      (select json_build_object('id', s.id, 'title', s.title,
          'revisions', (select count(*)::int from career_strategy_revisions v where v.tenant_id = ${t} and v.strategy_id = s.id))
        from career_strategies s where s.tenant_id = ${t} and s.person_id = who.id and s.status = 'active' limit 1) as strategy
    from who`;
  return rowsOf<ProgressRow>(await db.execute(statement));
}
