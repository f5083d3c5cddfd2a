// What the HTTP benchmarks share: a database of their own on the server, the service and the
// floor started as child processes, a bounded load loop over keep-alive connections, and the
// figures (req/s, p99) of interleaved rounds.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import pg from 'pg';

/** TEST_DATABASE_URL, or the bench says it needs a server and ends (a floor is node:http + pg). */
export function serverUrlOrExit(bench: string): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    process.stdout.write(`${bench} needs TEST_DATABASE_URL (a PostgreSQL server): the floor is node:http + pg.\n`);
    process.exit(0);
  }
  return url;
}

/** A new database on TEST_DATABASE_URL's server, migrated by the caller; `drop` removes it. */
export async function benchDatabase(baseUrl: string): Promise<{ url: string; admin: pg.Client; drop(): Promise<void> }> {
  const name = `icrm_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = Object.assign(new URL(baseUrl), { pathname: `/${name}` }).toString();
  return {
    url,
    admin,
    drop: async () => {
      await admin.query(`drop database ${name} with (force)`);
      await admin.end();
    },
  };
}

/** A child process run through tsx, resolved with the base URL its stdout announces. */
export function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; base: string }> {
  const service = args[0] === 'src/server.ts';
  const profile = process.env.BENCH_PROF && service ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  // BENCH_NODE_ARGS: flags for the service's Node.js (e.g. a GC setting), to compare in one run.
  const flags = service && process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : [];
  const child = spawn(process.execPath, ['--import=tsx', ...profile, ...flags, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk;
      const match = ready.exec(out);
      if (match) {
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({ child, base: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

/** The service (`npm start` on the bench database, no rate limit). */
export const startService = (url: string, env: NodeJS.ProcessEnv = {}) =>
  start(['src/server.ts'], { DATABASE_URL: url, PORT: '0', RATE_LIMIT_PER_MINUTE: '0', DATABASE_POOL_MAX: '10', ...env }, /Server listening at (http:\/\/127\.0\.0\.1:\d+)/);

/** bench/floor-server.ts on the bench database, answering for one tenant. */
export const startFloor = (url: string, tenantId: string) =>
  start(['bench/floor-server.ts'], { DATABASE_URL: url, FLOOR_TENANT: tenantId }, /floor listening at (http:\/\/127\.0\.0\.1:\d+)/);

/** PostGraphile 5 (bench/postgraphile/server.mjs) on the bench database, answering for one tenant. */
export const startPostGraphile = (url: string, tenantId: string) =>
  start(['bench/postgraphile/server.mjs'], { DATABASE_URL: url, FLOOR_TENANT: tenantId, GRAPHILE_ENV: 'production' }, /postgraphile listening at (http:\/\/127\.0\.0\.1:\d+)/);

export interface Call {
  path: string;
  method?: 'GET' | 'POST';
  body?: string;
}

export interface Result {
  requests: number;
  seconds: number;
  latencies: number[];
}

/** HTTP over `connections` keep-alive sockets, with the given headers on every request. */
export function client(connections: number, headers: Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const send = (base: string, call: Call): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const body = call.body;
      const req = request(
        `${base}${call.path}`,
        { agent, method: call.method ?? 'GET', headers: body ? { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } : headers },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  /** `connections` loops for `seconds`; each asks `next()` for its next call. Stops by itself. */
  async function load(base: string, seconds: number, next: (worker: { cursor: string | null }, lastBody: string | null) => Call): Promise<Result> {
    const latencies: number[] = [];
    const deadline = Date.now() + seconds * 1000;
    const started = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const worker = { cursor: null as string | null };
        let last: string | null = null;
        while (Date.now() < deadline) {
          const t0 = process.hrtime.bigint();
          const res = await send(base, next(worker, last));
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (res.status !== 200) throw new Error(`${base}: ${res.status} ${res.body.slice(0, 200)}`);
          last = res.body;
        }
      }),
    );
    return { requests: latencies.length, seconds: Number(process.hrtime.bigint() - started) / 1e9, latencies };
  }

  return { send, load, close: () => agent.destroy() };
}

/** Results of interleaved rounds, summed by name. */
export function tally() {
  const totals: Record<string, Result> = {};
  const rate = (r: Result) => r.requests / r.seconds;
  const p99 = (r: Result) => [...r.latencies].sort((a, b) => a - b)[Math.floor(r.latencies.length * 0.99)]!;
  return {
    add(key: string, r: Result) {
      const t = (totals[key] ??= { requests: 0, seconds: 0, latencies: [] });
      t.requests += r.requests;
      t.seconds += r.seconds;
      t.latencies.push(...r.latencies);
    },
    /** One line: the service beside the floor (or another contestant), and the ratio of their rates. */
    line(what: string, against = 'floor') {
      const s = totals[`service ${what}`]!;
      const f = totals[`${against} ${what}`]!;
      return `  ${what}: service ${rate(s).toFixed(0)} req/s (p99 ${p99(s).toFixed(1)} ms), ${against} ${rate(f).toFixed(0)} req/s (p99 ${p99(f).toFixed(1)} ms); ratio ${(rate(s) / rate(f)).toFixed(2)}x\n`;
    },
  };
}
