// The floor the REST and GraphQL benches measure against: node:http and pg, nothing else,
// answering the same requests from the same database with the same JSON. No auth, no tenant
// transaction, no validation, no logging: what the hardware and PostgreSQL allow.
import { createServer } from 'node:http';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const TENANT = process.env.FLOOR_TENANT!;
const COLUMNS =
  'id, external_id, created_at, updated_at, version, full_name, preferred_name, pronouns, emails, phone, location, headline, linkedin_url, roles, program, graduation_year, organization_id, title, tags, do_not_contact, notes';
const camel = (name: string) => name.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());
const record = (row: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [camel(key), value instanceof Date ? value.toISOString() : value]));

/**
 * The GraphQL bench's one query (bench/graphql.bench.ts: 25 organizations, 20 people of each,
 * 3 interviews each person requested, each interviewee and their organization) answered by
 * one hand-written statement that builds the whole JSON answer in PostgreSQL.
 */
const NESTED = `
select json_build_object('data', json_build_object('organizations', json_build_object('nodes', coalesce((
  select json_agg(json_build_object('name', o.name, 'people', json_build_object('nodes', coalesce((
    select json_agg(json_build_object('fullName', p.full_name, 'interviews', json_build_object('nodes', coalesce((
      select json_agg(json_build_object('status', upper(i.status), 'interviewee', json_build_object('fullName', e.full_name,
        'organization', case when eo.id is null then null else json_build_object('name', eo.name) end)) order by i.created_at, i.id)
      from (select * from interviews where tenant_id = $1 and requester_id = p.id order by created_at, id limit 3) i
      join people e on e.tenant_id = $1 and e.id = i.interviewee_id
      left join organizations eo on eo.tenant_id = $1 and eo.id = e.organization_id
    ), '[]'::json))) order by p.created_at, p.id)
    from (select * from people where tenant_id = $1 and organization_id = o.id order by created_at, id limit 20) p
  ), '[]'::json))) order by o.created_at, o.id)
  from (select * from organizations where tenant_id = $1 order by created_at, id limit 25) o
), '[]'::json))))::text as answer`;

const server = createServer(async (req, res) => {
  const url = new URL(req.url!, 'http://floor');
  const send = (status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  try {
    const byId = /^\/v1\/people\/([0-9a-f-]{36})$/.exec(url.pathname);
    if (byId) {
      const { rows } = await pool.query(`select ${COLUMNS} from people where tenant_id = $1 and id = $2`, [TENANT, byId[1]]);
      return rows[0] ? send(200, record(rows[0])) : send(404, { code: 'not_found' });
    }
    if (url.pathname === '/graphql' && req.method === 'POST') {
      for await (const _chunk of req); // the body is the bench's one query: read, not parsed
      const { rows } = await pool.query(NESTED, [TENANT]);
      const text = rows[0].answer as string;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      return res.end(text);
    }
    if (url.pathname === '/v1/people') {
      const limit = Number(url.searchParams.get('limit') ?? 25);
      const cursor = url.searchParams.get('cursor');
      const after = cursor ? Buffer.from(cursor, 'base64url').toString() : null;
      // The same keyset step as the API: after the cursor row's exact (created_at, id).
      const { rows } = after
        ? await pool.query(
            `select ${COLUMNS} from people where tenant_id = $1 and (created_at, id) > ((select created_at from people where tenant_id = $1 and id = $2), $2) order by created_at, id limit $3`,
            [TENANT, after, limit + 1],
          )
        : await pool.query(`select ${COLUMNS} from people where tenant_id = $1 order by created_at, id limit $2`, [TENANT, limit + 1]);
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      const nextCursor = rows.length > limit && last ? Buffer.from(String(last.id)).toString('base64url') : null;
      return send(200, { data: page.map(record), nextCursor });
    }
    send(404, { code: 'not_found' });
  } catch (err) {
    send(500, { code: 'internal', message: (err as Error).message });
  }
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`floor listening at http://127.0.0.1:${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
