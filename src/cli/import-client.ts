import { createReadStream, statSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { extname } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import { importEntities, importFormats, importModes, importOnErrors } from '../db/schema/import-jobs.js';

// `cli import`: a local file streamed to a running server's POST /v1/imports/{entity}, with a
// progress bar on a terminal. It is an HTTP client only: it never opens the database, so it
// works against any deployment the key belongs to.

export const IMPORT_USAGE = `  cli import <entity> <file> --url <base URL> --key <API key> [--format ndjson|csv|json]
      [--mode upsert|create] [--dry-run] [--on-error skip|abort] [--idempotency-key <key>] [--json]
      entity: ${importEntities.join(', ')}; the key may come from IMPORT_API_KEY instead of --key.
      Exit code 0: every row landed; 1: some rows failed; 2: usage, transport or request error.`;

export class ImportUsageError extends Error {}

export interface ImportArgs {
  entity?: string;
  file?: string;
  url?: string;
  key?: string;
  format?: string;
  mode?: string;
  dryRun?: boolean;
  onError?: string;
  idempotencyKey?: string;
  json?: boolean;
}

export interface ImportIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** A terminal for the progress bar (a script's pipe gets none). */
  progress?: NodeJS.WritableStream;
  /** How often the bar asks the server how many rows it has taken (default 1 s). */
  pollMs?: number;
}

interface Plan {
  entity: string;
  file: string;
  size: number;
  /** The service's base URL, ending in a slash. */
  base: URL;
  target: URL;
  key: string;
  format: (typeof importFormats)[number];
  idempotencyKey?: string;
  json: boolean;
}

const MEDIA_TYPES = { ndjson: 'application/x-ndjson', csv: 'text/csv', json: 'application/json' } as const;
const EXTENSIONS: Record<string, Plan['format']> = { '.ndjson': 'ndjson', '.jsonl': 'ndjson', '.csv': 'csv', '.json': 'json' };

const oneOf = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined => {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ImportUsageError(`${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
};

/** The arguments checked and turned into a request; every mistake is a usage error (exit 2). */
function plan(args: ImportArgs, env: NodeJS.ProcessEnv): Plan {
  const entity = args.entity;
  if (!entity || !args.file) throw new ImportUsageError('import takes an entity and a file');
  oneOf(entity, importEntities, 'the entity');
  let size: number;
  try {
    const stat = statSync(args.file);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch {
    throw new ImportUsageError(`cannot read the file "${args.file}"`);
  }
  const format = oneOf(args.format, importFormats, '--format') ?? EXTENSIONS[extname(args.file).toLowerCase()];
  if (!format) throw new ImportUsageError(`cannot tell the format from "${extname(args.file) || args.file}": give --format ndjson, csv or json`);
  if (!args.url) throw new ImportUsageError('--url is required (the service, e.g. http://127.0.0.1:3000)');
  let base: URL;
  try {
    base = new URL(args.url);
  } catch {
    throw new ImportUsageError(`--url must be an http(s) URL, got "${args.url}"`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') throw new ImportUsageError(`--url must be an http(s) URL, got "${args.url}"`);
  const key = args.key ?? env.IMPORT_API_KEY;
  if (!key) throw new ImportUsageError('--key is required (or IMPORT_API_KEY in the environment)');
  const query = new URLSearchParams();
  const mode = oneOf(args.mode, importModes, '--mode');
  const onError = oneOf(args.onError, importOnErrors, '--on-error');
  if (mode) query.set('mode', mode);
  if (args.dryRun) query.set('dryRun', 'true');
  if (onError) query.set('onError', onError);
  const root = new URL(base.href.endsWith('/') ? base.href : `${base.href}/`);
  const target = new URL(`v1/imports/${entity}${query.size ? `?${query}` : ''}`, root);
  return { entity, file: args.file, size, base: root, target, key, format, idempotencyKey: args.idempotencyKey, json: args.json ?? false };
}

interface Answer {
  status: number;
  body: string;
}

const send = (url: URL, options: { method: string; headers: Record<string, string | number> }, body?: (req: NodeJS.WritableStream) => Promise<void>) =>
  new Promise<Answer>((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options);
    req.once('response', (res: IncomingMessage) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.once('error', reject);
    });
    req.once('error', reject);
    if (body) body(req).catch((err: unknown) => req.destroy(err as Error));
    else req.end();
  });

interface FinishedJob {
  id: string;
  status: string;
  counts: { received: number; created: number; updated: number; unchanged: number; failed: number };
  errors: { row: number; externalId: string | null; path: string; message: string }[];
}

const number = (n: number) => n.toLocaleString('en-US');

function summary(plan: Plan, job: FinishedJob, seconds: number): string {
  const c = job.counts;
  const lines = [
    `${plan.entity} import ${job.id}: ${job.status} in ${seconds.toFixed(1)} s`,
    `  received ${number(c.received)}, created ${number(c.created)}, updated ${number(c.updated)}, unchanged ${number(c.unchanged)}, failed ${number(c.failed)}`,
  ];
  if (job.errors.length) {
    lines.push(`  first errors (all of them: GET /v1/imports/${job.id}/errors):`);
    for (const e of job.errors.slice(0, 10)) lines.push(`    row ${e.row}${e.externalId ? ` [${e.externalId}]` : ''}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
  }
  return lines.join('\n');
}

/**
 * While the body streams: bytes sent (counted here), and rows taken (the server's running job of
 * this entity, polled: only one runs per tenant and entity, so it is this one).
 */
function progressBar(plan: Plan, stream: NodeJS.WritableStream, pollMs: number) {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${plan.entity} [{bar}] {percentage}% | {sentMb}/{totalMb} MB | {rows} rows | {rate} rows/s`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const started = Date.now();
  let rows = 0;
  let sent = 0;
  bar.start(plan.size, 0, { sentMb: mb(0), totalMb: mb(plan.size), rows: 0, rate: 0 });
  const show = () => bar.update(sent, { sentMb: mb(sent), rows: number(rows), rate: number(Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001))) });
  const running = new URL(`v1/imports?status=running&entity=${plan.entity}&limit=1`, plan.base);
  let polling = false;
  const poll = setInterval(() => {
    if (polling) return;
    polling = true;
    send(running, { method: 'GET', headers: { authorization: `Bearer ${plan.key}` } })
      .then((answer) => {
        const job = answer.status === 200 ? (JSON.parse(answer.body) as { data: FinishedJob[] }).data[0] : undefined;
        if (job) rows = job.counts.received;
        show();
      })
      .catch(() => undefined) // a missed poll only delays the bar
      .finally(() => (polling = false));
  }, pollMs);
  return {
    sent(bytes: number) {
      sent += bytes;
      show();
    },
    stop(received?: number) {
      clearInterval(poll);
      if (received !== undefined) rows = received;
      show();
      bar.stop();
    },
  };
}

/** Streams the file; the exit code: 0 every row landed, 1 some failed, 2 usage or transport. */
export async function runImport(args: ImportArgs, io: ImportIo): Promise<number> {
  let p: Plan;
  try {
    p = plan(args, io.env);
  } catch (err) {
    if (!(err instanceof ImportUsageError)) throw err;
    io.stderr(`${err.message}\nUsage:\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const bar = io.progress ? progressBar(p, io.progress, io.pollMs ?? 1000) : undefined;
  const started = Date.now();
  const headers: Record<string, string | number> = { authorization: `Bearer ${p.key}`, 'content-type': MEDIA_TYPES[p.format], 'content-length': p.size };
  if (p.idempotencyKey) headers['idempotency-key'] = p.idempotencyKey;
  let answer: Answer;
  try {
    answer = await send(p.target, { method: 'POST', headers }, (req) =>
      pipeline(
        createReadStream(p.file),
        new Transform({
          transform(chunk: Buffer, _encoding, done) {
            bar?.sent(chunk.length);
            done(null, chunk);
          },
        }),
        req,
      ),
    );
  } catch (err) {
    bar?.stop();
    io.stderr(`error: the import did not reach ${p.target.origin}: ${(err as Error).message}\n`);
    return 2;
  }
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    body = undefined;
  }
  if (answer.status !== 201 || typeof body !== 'object' || body === null || !('counts' in body)) {
    bar?.stop();
    const problem = body as { detail?: string; errors?: { path: string; message: string }[] } | undefined;
    const detail = problem?.detail ?? answer.body.slice(0, 500);
    const fields = problem?.errors?.length ? ` (${problem.errors.map((e) => `${e.path}: ${e.message}`).join('; ')})` : '';
    io.stderr(`error: the server answered ${answer.status}: ${detail}${fields}\n`);
    return 2;
  }
  const job = body as FinishedJob;
  bar?.stop(job.counts.received);
  io.stdout(p.json ? `${answer.body}\n` : `${summary(p, job, (Date.now() - started) / 1000)}\n`);
  return job.status === 'succeeded' && job.counts.failed === 0 ? 0 : 1;
}
