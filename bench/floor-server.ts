// The floor the REST bench measures against: node:http and pg, nothing else, answering the
// same two requests from the same database with the same JSON. No auth, no tenant
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
