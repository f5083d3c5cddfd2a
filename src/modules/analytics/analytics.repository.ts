import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db, type Executor } from '../../db/client.js';
import { withTenantReadParts } from '../../db/tenant-transaction.js';
import { isoOf } from '../shared/json-tree.js';
import { interviewStatuses } from '../../db/schema/index.js';
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
  per_requester: { requesters: number; median: number; h0: number; h1: number; h2: number; h3: number; h6: number };
  done: { by_status: Record<string, number>; completed: number; no_shows: number; thank_you: number; follow_ups: number; follow_ups_done: number };
  referrals: number;
  growth: { skill: string; requesters: number; mean_first: number; mean_latest: number; improved: number }[];
  opp: { opportunities: number; offers: number; accepted: number; offers_hidden: number; offers_network: number; accepted_hidden: number; accepted_network: number };
  network: { month: string; source: string | null; count: number }[];
}

/**
 * The summary, as two statements run at once on two connections in one snapshot (on the
 * embedded engine, in turn): each reads its tables once, without a materialized copy of their
 * rows.
 */
export async function selectSummary(db: Db, tenantId: string, f: AnalyticsFilter): Promise<SummaryRow> {
  const [interviewsPart, restPart] = await withTenantReadParts(
    db,
    tenantId,
    summaryStatements(tenantId, f).map((statement) => async (tx: Executor) => rowsOf<Partial<SummaryRow>>(await tx.execute(statement))[0]!),
  );
  return { ...interviewsPart, ...restPart } as SummaryRow;
}

/** The summary's two statements (exported for the benchmark's EXPLAIN). */
export function summaryStatements(tenantId: string, f: AnalyticsFilter): [SQL, SQL] {
  const t = sql`${tenantId}::uuid`;
  const pop = population(f);
  // The population once, as a set of ids each figure's person is looked up in.
  const withPop = pop.length ? sql`pop as materialized (select p.id from people p where ${and([sql`p.tenant_id = ${t}`, ...pop])}),` : sql``;
  /** `from <table> <alias> where` the tenant, the period, and the population of the person in `personColumn`. */
  const scope = (table: string, alias: string, personColumn: string, at: SQL, extra: SQL[] = []) => {
    const a = sql.raw(alias);
    const inPop = pop.length ? [sql`${a}.${sql.raw(personColumn)} in (select id from pop)`] : [];
    return sql`from ${sql.raw(table)} ${a} where ${and([sql`${a}.tenant_id = ${t}`, ...inPop, ...period(at, f), ...extra])}`;
  };
  const when = sql`coalesce(i.occurred_at, i.scheduled_at, i.created_at)`;
  const interviewsIn = (extra: SQL[] = []) => scope('interviews', 'i', 'requester_id', when, extra);
  const byStatus = sql.join(
    interviewStatuses.map((status) => sql`${status}::text, count(*) filter (where i.status = ${status})`),
    sql`, `,
  );
  const skill = (name: string) => sql`(i.skill_ratings ->> ${name})::int`;
  const growthOf = (name: string, x: string) =>
    sql.raw(
      `json_build_object('skill', '${name}', 'requesters', count(*) filter (where ${x}_n >= 2), ` +
        `'mean_first', coalesce(avg(${x}_first) filter (where ${x}_n >= 2), 0)::float8, 'mean_latest', coalesce(avg(${x}_latest) filter (where ${x}_n >= 2), 0)::float8, ` +
        `'improved', count(*) filter (where ${x}_n >= 2 and ${x}_latest > ${x}_first))`,
    );
  const interviewsPart = sql`
    with ${withPop}
    per_requester as (
      select count(*) filter (where i.status = 'completed') as n ${interviewsIn()} group by i.requester_id
    ),
    -- How many requesters completed each number of interviews: the median and histogram from it.
    dist as (select n, count(*) as k from per_requester group by n),
    cum as (select n, k, (sum(k) over (order by n))::bigint as upto, (sum(k) over ())::bigint as total from dist)
    select
      (select json_build_object(
        'by_status', json_build_object(${byStatus}),
        'completed', count(*) filter (where i.status = 'completed'),
        'no_shows', count(*) filter (where i.status = 'no_show'),
        'thank_you', count(*) filter (where i.status = 'completed' and i.thank_you_sent_at between i.occurred_at and i.occurred_at + interval '24 hours'),
        'follow_ups', coalesce(sum(jsonb_array_length(i.follow_ups)) filter (where i.status = 'completed'), 0),
        'follow_ups_done', coalesce(sum(jsonb_array_length(jsonb_path_query_array(i.follow_ups, '$[*] ? (exists(@.doneAt))'))) filter (where i.status = 'completed' and i.follow_ups <> '[]'), 0))
        ${interviewsIn()}) as done,
      (select json_build_object(
        'requesters', coalesce(max(total), 0),
        'median', coalesce((min(n) filter (where upto >= (total + 1) / 2) + min(n) filter (where upto >= total / 2 + 1)) / 2.0, 0)::float8,
        'h0', coalesce(sum(k) filter (where n = 0), 0), 'h1', coalesce(sum(k) filter (where n = 1), 0), 'h2', coalesce(sum(k) filter (where n = 2), 0),
        'h3', coalesce(sum(k) filter (where n between 3 and 5), 0), 'h6', coalesce(sum(k) filter (where n >= 6), 0)) from cum) as per_requester,
      (select count(*)::int from interview_referrals r where r.tenant_id = ${t}
        and exists (select 1 ${interviewsIn([sql`i.id = r.interview_id`, sql`i.status = 'completed'`])})) as referrals`;
  const restPart = sql`
    with ${withPop}
    -- Each requester's completed, rated interviews in order (occurredAt, then id): rank * 8 + rating
    -- sorts by rank, so min and max give the first and latest rating of each skill (1-5 < 8).
    ranked as (
      select i.requester_id, ${skill('confidence')} as c, ${skill('communication')} as m, ${skill('interviewing')} as v,
        row_number() over (partition by i.requester_id order by i.occurred_at, i.id) as rn
      ${interviewsIn([sql`i.status = 'completed'`, sql`i.skill_ratings is not null`])}
    ),
    firsts as (
      select count(c) as c_n, min(rn * 8 + c) % 8 as c_first, max(rn * 8 + c) % 8 as c_latest,
        count(m) as m_n, min(rn * 8 + m) % 8 as m_first, max(rn * 8 + m) % 8 as m_latest,
        count(v) as v_n, min(rn * 8 + v) % 8 as v_first, max(rn * 8 + v) % 8 as v_latest
      from ranked group by requester_id
    )
    select
      (select json_build_array(${growthOf('confidence', 'c')}, ${growthOf('communication', 'm')}, ${growthOf('interviewing', 'v')}) from firsts) as growth,
      (select json_build_object(
        'opportunities', count(*),
        'offers', count(*) filter (where o.status in ${OFFER}),
        'accepted', count(*) filter (where o.status = 'accepted'),
        'offers_hidden', count(*) filter (where o.status in ${OFFER} and not o.advertised),
        'offers_network', count(*) filter (where o.status in ${OFFER} and o.source in ${THROUGH_NETWORK}),
        'accepted_hidden', count(*) filter (where o.status = 'accepted' and not o.advertised),
        'accepted_network', count(*) filter (where o.status = 'accepted' and o.source in ${THROUGH_NETWORK}))
        ${scope('opportunities', 'o', 'seeker_id', sql`o.created_at`)}) as opp,
      (select coalesce(json_agg(json_build_object('month', to_char(month, 'YYYY-MM'), 'source', source, 'count', n) order by month, source nulls last), '[]')
        from (select date_trunc('month', r.created_at at time zone 'UTC') as month, r.source, count(*) as n
          ${scope('relationships', 'r', 'person_id', sql`r.created_at`)} group by 1, 2) network) as network`;
  return [interviewsPart, restPart];
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
