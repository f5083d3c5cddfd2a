// What of a database error may be logged. A failed statement carries its bound parameters
// (Drizzle's "Failed query: … params: …" message) and PostgreSQL's `detail` quotes the values
// ("Key (email)=(…) already exists"): personal data and key hashes. A log keeps the SQLSTATE,
// where it happened (table, constraint, column) and the stack frames, never a value.

interface PgErrorFields {
  code?: unknown;
  severity?: unknown;
  schema?: unknown;
  table?: unknown;
  column?: unknown;
  constraint?: unknown;
  dataType?: unknown;
  routine?: unknown;
}

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** The PostgreSQL error in an error's cause chain (Drizzle wraps it), if any. */
export function postgresErrorIn(err: unknown): (Error & PgErrorFields) | undefined {
  for (let e = err as { cause?: unknown } | undefined, depth = 0; e && typeof e === 'object' && depth < 6; e = e.cause as typeof e, depth++) {
    const code = (e as PgErrorFields).code;
    if (typeof code === 'string' && SQLSTATE.test(code)) return e as Error & PgErrorFields;
  }
  return undefined;
}

/** True for an error raised by a statement (it may quote the statement's values). */
export function isStatementError(err: unknown): boolean {
  if (postgresErrorIn(err)) return true;
  for (let e = err as { cause?: unknown; query?: unknown; params?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth++) {
    if (typeof e === 'object' && ('params' in e || (typeof (e as Error).message === 'string' && (e as Error).message.startsWith('Failed query')))) return true;
  }
  return false;
}

// The frames of a stack without its first line, which repeats the message.
const framesOf = (stack: unknown): string | undefined =>
  typeof stack === 'string' ? stack.split('\n').filter((line) => line.startsWith('    at ')).join('\n') : undefined;

/**
 * A statement's error as a log may show it; connection errors (no SQLSTATE, no statement) keep
 * their message, which names no value ("Connection terminated unexpectedly").
 */
export function databaseErrorSummary(err: unknown): Record<string, unknown> {
  const pg = postgresErrorIn(err);
  const top = err as Error;
  if (!pg && !isStatementError(err)) {
    return { type: top?.name ?? typeof err, message: top?.message, code: (top as { code?: unknown })?.code };
  }
  const fields: Record<string, unknown> = { type: 'DatabaseError', message: 'database statement failed (values withheld)' };
  for (const key of ['code', 'severity', 'schema', 'table', 'column', 'constraint', 'dataType', 'routine'] as const) {
    if (pg?.[key] !== undefined) fields[key] = pg[key];
  }
  const stack = framesOf(top?.stack);
  if (stack) fields.stack = stack;
  return fields;
}
