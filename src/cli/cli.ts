import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase, type Database } from '../db/client.js';
import { appliedMigrationCount, expectedMigrationCount, runMigrations } from '../db/migrate.js';
import { AppError } from '../errors.js';
import { databaseErrorSummary, isStatementError } from '../db/db-error-summary.js';
import { withTenant } from '../db/tenant-transaction.js';
import { isUuid, isWithinYears } from '../modules/shared/common.schemas.js';
import { createApiKey, parseScopes, revokeKeyById } from '../modules/api-keys/api-keys.service.js';
import { createTenant, getTenantById } from '../modules/tenants/tenants.service.js';
import { IMPORT_USAGE, runImport } from './import-client.js';

export const USAGE = `Usage:
  cli tenants create --name <name> [--no-question-bank] [--json]
  cli keys create --tenant <tenantId> [--scopes read,write,import,admin] [--name <name>] [--expires-at <ISO date>] [--json]
  cli keys revoke <keyId> [--json]
${IMPORT_USAGE}`;

export interface CliIo {
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** An open database (tests); otherwise the environment's engine is opened and closed. */
  database?: Database;
  /** A terminal for progress bars (none when the output is a pipe). */
  progress?: NodeJS.WritableStream;
  /** How often `import`'s bar asks the server for its progress (tests; default 1 s). */
  pollMs?: number;
}

class UsageError extends Error {}

const OPTIONS = {
  name: { type: 'string' },
  tenant: { type: 'string' },
  scopes: { type: 'string' },
  'expires-at': { type: 'string' },
  'no-question-bank': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const IMPORT_OPTIONS = {
  url: { type: 'string' },
  key: { type: 'string' },
  format: { type: 'string' },
  mode: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  'on-error': { type: 'string' },
  'idempotency-key': { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

/** `import`: an HTTP client of a running server, which opens no database. */
async function importCommand(argv: string[], io: CliIo): Promise<number> {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof IMPORT_OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: IMPORT_OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.stderr(`${(err as Error).message}\nUsage:\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const [, entity, file, ...extra] = parsed.positionals;
  if (extra.length) {
    io.stderr(`import takes one entity and one file, got also: ${extra.join(' ')}\nUsage:\n${IMPORT_USAGE}\n`);
    return 2;
  }
  const v = parsed.values;
  return runImport(
    { entity, file, url: v.url, key: v.key, format: v.format, mode: v.mode, dryRun: v['dry-run'], onError: v['on-error'], idempotencyKey: v['idempotency-key'], json: v.json },
    io,
  );
}

/** Runs one CLI command; returns the exit code (0 ok, 1 failed, 2 usage). */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  if (argv[0] === 'import') return importCommand(argv, io);
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; options: typeof OPTIONS; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    io.stderr(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  let database = io.database;
  try {
    const command = planCommand(parsed.positionals, parsed.values);
    database ??= await openFromEnv(io.env);
    await ensureMigrated(database);
    const result = await command(database);
    io.stdout(parsed.values.json ? `${JSON.stringify(result.json)}\n` : `${result.text}\n`);
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`${err.message}\n${USAGE}\n`);
      return 2;
    }
    io.stderr(`error: ${describe(err)}\n`);
    return 1;
  } finally {
    if (database && !io.database) await database.close();
  }
}

type Values = { name?: string; tenant?: string; scopes?: string; 'expires-at'?: string; 'no-question-bank'?: boolean };
type Command = (database: Database) => Promise<{ json: unknown; text: string }>;

function planCommand(positionals: string[], values: Values): Command {
  const [group, action, ...rest] = positionals;
  const command = `${group ?? ''} ${action ?? ''}`.trim();
  if (values['no-question-bank'] && command !== 'tenants create') throw new UsageError('--no-question-bank is an option of tenants create only');
  if (command === 'tenants create') {
    const name = required(values.name, '--name');
    return async ({ db }) => {
      const { tenant, apiKey } = await createTenant(db, { name, questionBank: !values['no-question-bank'] });
      return {
        json: { tenant: { id: tenant.id, name: tenant.name, slug: tenant.slug }, apiKey: keyJson(apiKey) },
        text: `tenant ${tenant.id} (${tenant.slug})\napi key (shown once): ${apiKey.secret}`,
      };
    };
  }
  if (command === 'keys create') {
    const tenantId = required(values.tenant, '--tenant');
    if (!isUuid(tenantId)) throw new UsageError(`--tenant must be a tenant id (a UUID), got "${tenantId}"`);
    const scopes = values.scopes === undefined ? undefined : parseScopes(values.scopes);
    const expiresAt = values['expires-at'] === undefined ? null : parseDate(values['expires-at']);
    return async ({ db }) => {
      // In the tenant's own transaction: row-level security binds the tables' owner too.
      const apiKey = await withTenant(db, tenantId, async (tx) => {
        if (!(await getTenantById(tx, tenantId))) throw new AppError('not_found', `No tenant ${tenantId}.`);
        return createApiKey(tx, { tenantId, name: values.name, scopes, expiresAt });
      });
      return { json: { apiKey: keyJson(apiKey) }, text: `api key ${apiKey.id} (shown once): ${apiKey.secret}` };
    };
  }
  if (command === 'keys revoke') {
    const keyId = rest[0];
    if (!keyId || rest.length > 1) throw new UsageError('keys revoke takes exactly one key id');
    if (!isUuid(keyId)) throw new UsageError(`the key id must be a UUID, got "${keyId}"`);
    return async ({ db }) => {
      await revokeKeyById(db, keyId);
      return { json: { apiKey: { id: keyId, revoked: true } }, text: `api key ${keyId} revoked` };
    };
  }
  throw new UsageError(command ? `unknown command: ${command}` : 'no command given');
}

const keyJson = (key: { id: string; secret: string; scopes: string[] }) => ({ id: key.id, secret: key.secret, scopes: key.scopes });

function required(value: string | undefined, flag: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required`);
  return value;
}

/** An expiry as REST takes it: an ISO 8601 date or date-time, in the future. */
function parseDate(value: string): Date {
  const date = new Date(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime()) || !isWithinYears(date)) {
    throw new UsageError(`--expires-at must be an ISO 8601 date, got "${value}"`);
  }
  if (date.getTime() <= Date.now()) throw new UsageError(`--expires-at must be in the future, got "${value}"`);
  return date;
}

async function openFromEnv(env: NodeJS.ProcessEnv): Promise<Database> {
  const config = loadConfig(env);
  // Creating tenants is the owner's work: the service's own role may only read its tenant.
  return openDatabase({ databaseUrl: config.DATABASE_OWNER_URL ?? config.DATABASE_URL, dataDir: config.DATA_DIR, poolMax: 2 });
}

// The embedded database migrates itself, as `npm start` does; a server's is the operator's step.
async function ensureMigrated(database: Database): Promise<void> {
  if (database.engine === 'embedded') return runMigrations(database);
  if ((await appliedMigrationCount(database.db)) < expectedMigrationCount()) {
    throw new Error('the database is not migrated: run `npm run migrate` first');
  }
}

function describe(err: unknown): string {
  if (err instanceof ConfigError) return err.message;
  if (err instanceof AppError) return err.errors?.length ? `${err.message} (${err.errors.map((e) => `${e.path}: ${e.message}`).join('; ')})` : err.message;
  // A failed statement's message carries its values (a key's prefix and hash): show where, not what.
  if (isStatementError(err)) {
    const summary = databaseErrorSummary(err);
    return `a database statement failed (SQLSTATE ${String(summary.code ?? 'unknown')}${summary.table ? ` on ${String(summary.table)}` : ''})`;
  }
  return err instanceof Error ? err.message : String(err);
}
